import { useEffect, useRef } from 'react';
import { useTheme } from '@material-ui/core';
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/yaml/register';
import type { YamlEditorProps } from './yamlEditorSeam';

// Monaco comes from node_modules, bundled by the app's build: no loader and no CDN. Its one worker is
// bundled through the `new Worker(new URL(…))` syntax; YAML highlighting is Monaco's tokenizer, which
// needs no language worker, and the checks are the IaC editor's own (catalyst-common), set as markers.
const scope = self as unknown as { MonacoEnvironment?: { getWorker: (id: string, label: string) => Worker } };
scope.MonacoEnvironment ??= {
  getWorker: () => new Worker(new URL('./monacoWorker.ts', import.meta.url)),
};

const MARKER_OWNER = 'catalyst-iac';

/** A Monaco editor for YAML files, one model per file, markers from the problems given. */
export function MonacoYamlEditor(props: YamlEditorProps) {
  const { file, value, readOnly, problems, onChange, ariaLabel } = props;
  const dark = useTheme().palette.type === 'dark';
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor>();
  const models = useRef(new Map<string, monaco.editor.ITextModel>());
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;

  useEffect(() => {
    const created = monaco.editor.create(host.current!, {
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      tabSize: 2,
      insertSpaces: true,
      renderWhitespace: 'boundary',
    });
    editor.current = created;
    const listening = created.onDidChangeModelContent(() => latestOnChange.current(created.getValue()));
    const owned = models.current;
    return () => {
      listening.dispose();
      created.dispose();
      owned.forEach(m => m.dispose());
      owned.clear();
    };
  }, []);

  // the file shown, and its text when it changes from outside (discard, a save, a new head)
  useEffect(() => {
    const shown = editor.current;
    if (!shown) return;
    let model = models.current.get(file);
    if (!model) {
      model = monaco.editor.createModel(value, 'yaml', monaco.Uri.from({ scheme: 'catalyst', path: `/${file}` }));
      models.current.set(file, model);
    }
    if (shown.getModel() !== model) shown.setModel(model);
    if (model.getValue() !== value) {
      // an edit operation, not setValue: undo can bring the person's text back
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
    }
  }, [file, value]);

  useEffect(() => {
    const model = models.current.get(file);
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      problems.map(p => ({
        severity: monaco.MarkerSeverity.Error,
        message: p.message,
        code: p.code,
        startLineNumber: p.line,
        startColumn: p.column,
        endLineNumber: p.endLine,
        endColumn: p.endColumn,
      })),
    );
  }, [file, value, problems]);

  useEffect(() => {
    editor.current?.updateOptions({
      ariaLabel,
      readOnly,
      readOnlyMessage: { value: 'You may read these files but not change them.' },
    });
  }, [ariaLabel, readOnly]);

  useEffect(() => monaco.editor.setTheme(dark ? 'vs-dark' : 'vs'), [dark]);

  return (
    <div
      ref={host}
      data-testid="iac-monaco"
      data-file={file}
      style={{ height: 420, border: '1px solid rgba(127, 127, 127, 0.35)', borderRadius: 4 }}
    />
  );
}
