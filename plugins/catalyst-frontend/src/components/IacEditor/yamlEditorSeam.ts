import { lazy } from 'react';
import type { IacProblem } from './iacModel';

/** What the IaC editor needs of a code editor; Monaco in the app, a text box in unit tests. */
export interface YamlEditorProps {
  /** The file shown (each keeps its own text and undo history). */
  file: string;
  value: string;
  readOnly: boolean;
  /** The problems of this file, shown as markers. */
  problems: readonly IacProblem[];
  onChange: (value: string) => void;
  ariaLabel: string;
}

/**
 * Monaco, in a chunk of its own loaded on first use of the IaC view. Unit tests (jsdom, where Monaco
 * does not run) replace `./MonacoYamlEditor` with a text box; the browser journey uses the real one.
 */
export const YamlEditor = lazy(() => import('./MonacoYamlEditor').then(m => ({ default: m.MonacoYamlEditor })));
