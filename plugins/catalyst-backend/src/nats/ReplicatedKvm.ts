import type { JetStreamClient } from '@nats-io/jetstream';
import { KV, KvOptions, Kvm } from '@nats-io/kv';

/**
 * A `Kvm` whose buckets get `replicas` copies unless a caller says otherwise (`catalyst.nats.replicas`:
 * 1 on one nats-server, 3 on a three-node cluster). Every bucket the plugin creates goes through one
 * of these, so a read model, a lease or an identity record survives the loss of a node. A bucket is
 * created by whichever replica or component opens it first, so all of them must ask for the same
 * count: hence one place rather than an option at every `create`. An existing bucket is used as it
 * is (nats.js does not update it); see deploy/nats/README.md for changing the count later.
 */
export class ReplicatedKvm extends Kvm {
  constructor(js: JetStreamClient, private readonly replicas: number) {
    super(js);
  }

  create(name: string, opts: Partial<KvOptions> = {}): Promise<KV> {
    return super.create(name, { replicas: this.replicas, ...opts });
  }
}
