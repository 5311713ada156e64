// Monaco's editor worker (diffs, word highlights, links), bundled as a worker chunk of the app.
import 'monaco-editor/editor/editor.worker';
