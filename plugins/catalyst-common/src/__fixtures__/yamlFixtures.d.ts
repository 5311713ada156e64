// Backstage's jest config turns imported *.yaml fixtures into their parsed content. Tests cast the
// import (`as unknown as T`), so this agrees with @backstage/cli's asset-types (string) when both load.
declare module '*.yaml' {
  const content: unknown;
  export default content;
}
