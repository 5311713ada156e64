/** A kustomize build failure; `file` is the repository path the message is about. */
export class KustomizeError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'KustomizeError';
  }
}
