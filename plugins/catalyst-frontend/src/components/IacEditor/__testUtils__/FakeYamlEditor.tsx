import type { YamlEditorProps } from '../yamlEditorSeam';

/**
 * Monaco's stand-in in unit tests (jsdom cannot run Monaco): a text box with the seam's props, its
 * markers as `data-markers` (line:column each). Use with
 * `jest.mock('<path>/MonacoYamlEditor', () => ({ MonacoYamlEditor: jest.requireActual('<path>/__testUtils__/FakeYamlEditor').FakeYamlEditor }))`.
 */
export function FakeYamlEditor(props: YamlEditorProps) {
  return (
    <textarea
      aria-label={props.ariaLabel}
      value={props.value}
      readOnly={props.readOnly}
      data-markers={props.problems.map(p => `${p.line}:${p.column}`).join(' ')}
      onChange={e => props.onChange(e.target.value)}
    />
  );
}
