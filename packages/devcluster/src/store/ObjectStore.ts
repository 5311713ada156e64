import { Clock, KubeObject } from '../types';
import { cloneJson, deepEqual } from '../util/json';
import { deterministicUid } from '../util/hash';
import { rfc3339 } from '../util/time';
import { groupOf, isNamespacedKind } from './resources';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to the store, as a watch delivers it. */
export interface StoreEvent {
  type: StoreEventType;
  resourceVersion: number;
  object: Readonly<KubeObject>;
  /** The object before the change (MODIFIED only); watches use it to turn label changes into ADDED/DELETED. */
  previous?: Readonly<KubeObject>;
}

export interface ObjectRef {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

export type WriteResult = 'created' | 'updated' | 'unchanged';

export interface ObjectStoreOptions {
  /** Seed for deterministic uids, so two clusters never share one. */
  clusterName: string;
  clock: Clock;
  /** How many events a watch can resume from; older versions answer 410 Gone. */
  historyLimit?: number;
  /**
   * Versions start after this one. A store that replaces another — a restarted devcluster — must
   * start beyond every version the other handed out: clients then see only newer versions (the
   * portal's projection compares them as integers), and a watch resuming from an old one gets 410
   * and lists again. Default 0.
   */
  firstResourceVersion?: number;
}

function keyOf(ref: ObjectRef): string {
  return `${ref.group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

export function refOf(object: KubeObject): ObjectRef {
  return {
    group: groupOf(object.apiVersion),
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The content that defines an object's generation: everything but metadata and status. */
function specOf(object: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}

function metadataWithoutServerFields(object: KubeObject): Record<string, unknown> {
  const {
    resourceVersion: _r,
    generation: _g,
    uid: _u,
    creationTimestamp: _c,
    managedFields: _f,
    ...rest
  } = object.metadata;
  return rest;
}

/**
 * The cluster's object storage: one monotonically increasing resourceVersion
 * counter, server-managed metadata (uid, generation, creationTimestamp) and a
 * bounded event history so watches can resume exactly or get 410 Gone.
 *
 * Objects are stored frozen; reads return copies so callers can edit them and
 * write them back.
 */
export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private resourceVersion: number;
  // Events up to and including this version have been dropped from history (or never were here).
  private lastDroppedVersion: number;

  static create(options: ObjectStoreOptions): ObjectStore {
    return new ObjectStore(
      options.clusterName,
      options.clock,
      options.historyLimit ?? 2000,
      options.firstResourceVersion ?? 0,
    );
  }

  private constructor(
    private readonly clusterName: string,
    private readonly clock: Clock,
    private readonly historyLimit: number,
    firstResourceVersion: number,
  ) {
    this.resourceVersion = firstResourceVersion;
    this.lastDroppedVersion = firstResourceVersion;
  }

  currentResourceVersion(): number {
    return this.resourceVersion;
  }

  get(ref: ObjectRef): KubeObject | undefined {
    const found = this.objects.get(keyOf(ref));
    return found ? cloneJson(found) : undefined;
  }

  /** Lists objects of one kind (optionally one namespace), in namespace/name order like etcd. */
  list(group: string, kind: string, namespace?: string): KubeObject[] {
    return this.listFrozen(group, kind, namespace).map(o => cloneJson(o));
  }

  /** Same as `list` without copying; for serialization only. */
  listFrozen(group: string, kind: string, namespace?: string): Readonly<KubeObject>[] {
    const result: KubeObject[] = [];
    for (const object of this.objects.values()) {
      if (
        groupOf(object.apiVersion) === group &&
        object.kind === kind &&
        (namespace === undefined || object.metadata.namespace === namespace)
      ) {
        result.push(object);
      }
    }
    return result.sort(compareObjects);
  }

  /** All objects, for garbage collection and namespace cleanup. */
  all(): KubeObject[] {
    return [...this.objects.values()].map(o => cloneJson(o));
  }

  /**
   * Creates or replaces an object. Server-managed metadata is kept from the
   * stored object; the generation is bumped when anything outside metadata and
   * status changed; nothing happens (no event, no new version) when the object
   * is unchanged.
   */
  write(input: KubeObject): { object: KubeObject; result: WriteResult } {
    const object = cloneJson(input);
    if (!isNamespacedKind(object.kind)) delete object.metadata.namespace;
    const key = keyOf(refOf(object));
    const existing = this.objects.get(key);

    if (!existing) {
      const version = this.nextVersion();
      object.metadata = {
        ...object.metadata,
        uid: deterministicUid(`${this.clusterName}/${key}/${version}`),
        creationTimestamp: rfc3339(this.clock.now()),
        resourceVersion: String(version),
      };
      if (object.spec !== undefined) object.metadata.generation = 1;
      else delete object.metadata.generation;
      return { object: this.commit(key, object, 'ADDED', version), result: 'created' };
    }

    const specChanged = !deepEqual(specOf(existing), specOf(object));
    const changed =
      specChanged ||
      !deepEqual(existing.status, object.status) ||
      !deepEqual(metadataWithoutServerFields(existing), metadataWithoutServerFields(object));
    if (!changed) {
      return { object: cloneJson(existing), result: 'unchanged' };
    }
    const version = this.nextVersion();
    object.metadata = {
      ...object.metadata,
      uid: existing.metadata.uid,
      creationTimestamp: existing.metadata.creationTimestamp,
      resourceVersion: String(version),
    };
    const generation = existing.metadata.generation;
    if (generation !== undefined) {
      object.metadata.generation = specChanged ? generation + 1 : generation;
    } else if (object.spec !== undefined) {
      object.metadata.generation = 1;
    }
    return {
      object: this.commit(key, object, 'MODIFIED', version, existing),
      result: 'updated',
    };
  }

  delete(ref: ObjectRef): KubeObject | undefined {
    const key = keyOf(ref);
    const existing = this.objects.get(key);
    if (!existing) return undefined;
    const version = this.nextVersion();
    const tombstone = cloneJson(existing);
    tombstone.metadata.resourceVersion = String(version);
    this.objects.delete(key);
    const frozen = deepFreeze(tombstone);
    this.record({ type: 'DELETED', resourceVersion: version, object: frozen });
    return cloneJson(frozen);
  }

  /**
   * Events after `resourceVersion`, or 'expired' when some of them have
   * already left the history window (the caller must re-list).
   */
  eventsSince(resourceVersion: number): StoreEvent[] | 'expired' {
    // A version this store never issued (from the store it replaced) cannot be resumed either.
    if (resourceVersion < this.lastDroppedVersion || resourceVersion > this.resourceVersion) return 'expired';
    return this.history.filter(e => e.resourceVersion > resourceVersion);
  }

  /** The oldest version a watch can still start from (for the 410 message). */
  oldestResumableVersion(): number {
    return this.lastDroppedVersion;
  }

  /** Live events from now on; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private nextVersion(): number {
    this.resourceVersion += 1;
    return this.resourceVersion;
  }

  private commit(
    key: string,
    object: KubeObject,
    type: StoreEventType,
    version: number,
    previous?: KubeObject,
  ): KubeObject {
    const frozen = deepFreeze(object);
    this.objects.set(key, frozen);
    this.record({ type, resourceVersion: version, object: frozen, previous });
    return cloneJson(frozen);
  }

  private record(event: StoreEvent) {
    this.history.push(event);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift()!;
      this.lastDroppedVersion = dropped.resourceVersion;
    }
    for (const listener of [...this.listeners]) listener(event);
  }
}

// Byte order, like etcd keys (`/<ns>/<name>`), independent of the locale.
function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const ns = compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '');
  return ns !== 0 ? ns : compareStrings(a.metadata.name, b.metadata.name);
}
