import { KubeObject } from '../../types';

/** An object during a build, with the name it had when it was loaded (for name references). */
export interface BuildResource {
  object: KubeObject;
  originName: string;
  /** Generated ConfigMaps/Secrets get a content hash suffix at the end of the build. */
  needsHash?: boolean;
}

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchEntry {
  path?: string;
  patch?: string;
  target?: PatchTarget;
}

export interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string | number;
  digest?: string;
}

export interface LabelEntry {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorEntry {
  name: string;
  namespace?: string;
  behavior?: 'create' | 'merge' | 'replace';
  files?: string[];
  literals?: string[];
  envs?: string[];
  env?: string;
  type?: string;
  options?: GeneratorOptions;
}

/** The subset of kustomization.yaml the devcluster understands. */
export interface KustomizationFile {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  resources?: string[];
  bases?: string[];
  components?: string[];
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  commonLabels?: Record<string, string>;
  labels?: LabelEntry[];
  commonAnnotations?: Record<string, string>;
  images?: ImageEntry[];
  patches?: PatchEntry[];
  patchesStrategicMerge?: string[];
  patchesJson6902?: PatchEntry[];
  configMapGenerator?: GeneratorEntry[];
  secretGenerator?: GeneratorEntry[];
  generatorOptions?: GeneratorOptions;
  replicas?: Array<{ name: string; count: number }>;
  buildMetadata?: string[];
  sortOptions?: unknown;
}
