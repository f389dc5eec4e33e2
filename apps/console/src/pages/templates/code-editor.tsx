import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { xml } from '@codemirror/lang-xml';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, StreamLanguage, bracketMatching, syntaxHighlighting, type LanguageSupport } from '@codemirror/language';
import { properties } from '@codemirror/legacy-modes/mode/properties';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  Decoration, EditorView, MatchDecorator, ViewPlugin, drawSelection, highlightActiveLine, keymap, lineNumbers,
  type DecorationSet, type ViewUpdate,
} from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { useEffect, useRef } from 'react';
import type { TemplateType } from './types';

/** Each template type's language: kickstart as shell, preseed as key-value lines, AutoYaST as XML, autoinstall as YAML. */
function languageOf(type: string): Extension {
  switch (type) {
    case 'kickstart': return StreamLanguage.define(shell);
    case 'preseed': return StreamLanguage.define(properties);
    case 'autoyast': return xml() as LanguageSupport;
    case 'autoinstall': return yaml() as LanguageSupport;
    default: return [];
  }
}

/** Colours dark enough for WCAG AA on white (CodeMirror's default style has some that are not). */
const HIGHLIGHT = HighlightStyle.define([
  { tag: t.comment, color: '#5c5c5c', fontStyle: 'italic' },
  { tag: [t.keyword, t.operatorKeyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword], color: '#7a1f8f' },
  { tag: [t.string, t.special(t.string), t.regexp, t.escape], color: '#a11111' },
  { tag: [t.number, t.bool, t.atom, t.null], color: '#1a4f9c' },
  { tag: [t.variableName, t.special(t.variableName), t.macroName], color: '#005a6e' },
  { tag: [t.propertyName, t.attributeName, t.definition(t.propertyName)], color: '#0b4fa8' },
  { tag: [t.tagName, t.typeName, t.className], color: '#116329' },
  { tag: [t.meta, t.processingInstruction, t.documentMeta], color: '#474747' },
  { tag: t.invalid, color: '#b00020' },
  { tag: t.heading, fontWeight: 'bold' },
]);

/** `{{ PARAM }}` tokens marked in every language (the same token as content-rules.ts). */
const paramMark = Decoration.mark({ class: 'cm-template-param' });
const paramMatcher = new MatchDecorator({ regexp: /\{\{\s*[A-Za-z0-9_.-]+\s*\}\}/g, decoration: () => paramMark });
const paramHighlighter = ViewPlugin.fromClass(class {
  decorations: DecorationSet;
  constructor(view: EditorView) { this.decorations = paramMatcher.createDeco(view); }
  update(update: ViewUpdate) { this.decorations = paramMatcher.updateDeco(update, this.decorations); }
}, { decorations: (v) => v.decorations });

const THEME = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid #ced4da', borderRadius: '4px', backgroundColor: '#fff' },
  '&.cm-focused': { outline: '2px solid #1c7ed6', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '320px', maxHeight: '560px', overflow: 'auto' },
  '.cm-gutters': { backgroundColor: '#f1f3f5', color: '#495057', borderRight: '1px solid #dee2e6' },
  '.cm-activeLine': { backgroundColor: '#f8f9fa' },
  '.cm-template-param': { backgroundColor: '#fff3bf', borderRadius: '2px', color: '#5c3c00' },
  '&.cm-editor.cm-readonly .cm-content': { backgroundColor: '#f8f9fa' },
});

/** Read-only content stays focusable (tabindex 0): its text can be scrolled, selected and copied with the keyboard. */
const editability = (readOnly: boolean): Extension => [
  EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly),
  readOnly ? EditorView.contentAttributes.of({ tabindex: '0', 'aria-readonly': 'true' }) : [],
];

interface Props {
  value: string;
  onChange?: (value: string) => void;
  type: TemplateType;
  readOnly?: boolean;
  /** The accessible name of the text area. */
  label: string;
  /** The id of what describes it (the findings), for aria-describedby. */
  describedBy?: string;
  testId?: string;
}

/**
 * A CodeMirror 6 editor: the type's syntax highlighting, `{{ PARAM }}` tokens marked, undo history,
 * line numbers. Tab is left to the browser (focus moves on), so the page stays keyboard usable.
 */
export function CodeEditor({ value, onChange, type, readOnly = false, label, describedBy, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  const editable = useRef(new Compartment());
  const listener = useRef(onChange);
  listener.current = onChange;

  useEffect(() => {
    const attributes: Record<string, string> = { 'aria-label': label, 'aria-multiline': 'true' };
    if (describedBy) attributes['aria-describedby'] = describedBy;
    const created = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          syntaxHighlighting(HIGHLIGHT), paramHighlighter, THEME, EditorView.lineWrapping,
          EditorView.contentAttributes.of(attributes),
          language.current.of(languageOf(type)),
          editable.current.of(editability(readOnly)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) listener.current?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
    // The view is made once; the effects below follow the props.
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: language.current.reconfigure(languageOf(type)) });
  }, [type]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure(editability(readOnly)) });
  }, [readOnly]);

  // A value from outside (a template loaded, a copy): replace the document when it differs.
  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} data-testid={testId} className={readOnly ? 'cm-host-readonly' : undefined} />;
}
