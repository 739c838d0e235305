/**
 * The operator's controls for one channel: model and version (follow the latest a trainer
 * publishes, or pin one kept version), style and instrument-preset pickers, a General
 * MIDI program picker per melodic track and a drum-kit picker (General MIDI names, from GET
 * /api/operator), and the variation / tempo / density / volume sliders. A change is reported
 * once, on `change` (a slider when it is let go), never on every `input`. While the operator
 * holds a control or its change is on its way, the server's state does not move it under their
 * finger.
 */
import type { ChannelChanges, ChannelSummary, Choice, ControlRange, ModelSummary } from '../../server/web/wire.js';
import { el, setText } from './dom.js';
import { formatControlValue, UNKNOWN } from './format.js';

/** Melodic tracks whose program the operator may swap (the server names a bad one `programs.<track>`). */
const PROGRAM_TRACKS = ['lead', 'chords', 'bass'] as const;
const PICKERS = ['model', 'version', 'style', 'instrument', 'programs.lead', 'programs.chords', 'programs.bass', 'drumKit'] as const;
export type PickerControl = (typeof PICKERS)[number];
/** The sliders the panel draws (their ranges come from GET /api/operator). */
export type SliderControl = 'variation' | 'tempo' | 'density' | 'volume';
export type ControlName = PickerControl | SliderControl;

export const SLIDERS: readonly SliderControl[] = ['variation', 'tempo', 'density', 'volume'];

/**
 * Ranges used until GET /api/operator answers (it needs the token); the server checks every
 * value anyway, so a stale range can only lead to a clear 400.
 */
export const FALLBACK_RANGES: Record<SliderControl, ControlRange> = {
  variation: { min: 0, max: 1, step: 0.01 },
  tempo: { min: 60, max: 160, step: 1 },
  density: { min: 0, max: 1, step: 0.01 },
  volume: { min: 0, max: 1, step: 0.01 },
};

/** The sliders' ranges and the pickers' choices, as GET /api/operator gives them. */
export interface ControlSetup {
  ranges: Record<SliderControl, ControlRange>;
  choices: Record<string, Choice[]>;
}

const LABELS: Record<ControlName, string> = {
  model: 'Model',
  version: 'Version',
  style: 'Style',
  instrument: 'Instrument',
  'programs.lead': 'Lead',
  'programs.chords': 'Chords',
  'programs.bass': 'Bass',
  drumKit: 'Drums',
  variation: 'Variation',
  tempo: 'Tempo',
  density: 'Density',
  volume: 'Volume',
};

/** Controls that only symbolic models have. */
const SYMBOLIC_ONLY = new Set<ControlName>(['style', 'instrument', 'tempo', 'density']);

export class ChannelControls {
  readonly element: HTMLElement;
  readonly #pickers = new Map<PickerControl, HTMLSelectElement>();
  readonly #sliders = new Map<SliderControl, HTMLInputElement>();
  readonly #readouts = new Map<SliderControl, HTMLOutputElement>();
  /** Controls the operator is holding or whose change has not been answered yet. */
  readonly #busy = new Set<ControlName>();

  constructor(channelId: string, onChange: (changes: ChannelChanges, control: ControlName) => void) {
    this.element = el('div', { class: 'controls' });
    for (const name of PICKERS) {
      const select = el('select', { 'data-control': name, id: `${channelId}-${name.replace('.', '-')}` });
      select.addEventListener('change', () => onChange(changeOf(name, select.value), name));
      this.#pickers.set(name, select);
      // Model names are long: the model picker gets the whole row.
      const layout = name === 'model' ? 'control wide' : 'control';
      this.element.append(el('label', { class: layout, for: select.id }, el('span', { class: 'label' }, LABELS[name]), select));
    }
    for (const name of SLIDERS) {
      const slider = el('input', { type: 'range', 'data-control': name, id: `${channelId}-${name}` });
      const readout = el('output', { for: slider.id, 'data-field': `${name}-value` });
      slider.addEventListener('input', () => {
        this.#busy.add(name);
        setText(readout, formatControlValue(name, Number(slider.value)));
      });
      slider.addEventListener('change', () => onChange({ [name]: Number(slider.value) }, name));
      this.#sliders.set(name, slider);
      this.#readouts.set(name, readout);
      this.element.append(
        el(
          'label',
          { class: 'control slider', for: slider.id },
          el('span', { class: 'label' }, LABELS[name], readout),
          slider,
        ),
      );
    }
  }

  /** Marks a control as waiting for the server (true) or free to follow it again (false). */
  setBusy(control: ControlName, busy: boolean): void {
    if (busy) this.#busy.add(control);
    else this.#busy.delete(control);
    const input = this.element.querySelector(`[data-control="${control}"]`);
    if (busy) input?.setAttribute('aria-busy', 'true');
    else input?.removeAttribute('aria-busy');
  }

  /** Marks the control the server named as wrong, or none. */
  markInvalid(control: string | undefined): void {
    for (const input of this.element.querySelectorAll('[data-control]')) {
      if (input.getAttribute('data-control') === control) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  /** Shows the channel as the server describes it (except controls in the operator's hands). */
  sync(summary: ChannelSummary, models: ModelSummary[], { ranges, choices }: ControlSetup): void {
    const symbolic = summary.family === 'symbolic';
    const model = models.find((m) => m.id === summary.model);
    this.#fillPicker(
      'model',
      (models.length > 0 ? models : [{ id: summary.model, family: summary.family, trained: summary.trained }]).map((m) => ({
        value: m.id,
        text: `${m.id} · ${m.family}${m.trained ? '' : ' · untrained'}`,
      })),
      summary.model,
    );
    // Versions: follow the latest one published, or pin one kept; a plain checkpoint has none.
    const versions = model?.versions ?? [];
    const latest = model?.version ?? summary.version;
    this.#fillPicker(
      'version',
      versions.length > 0
        ? [{ value: 'latest', text: `latest (v${latest})` }, ...[...versions].reverse().map((v) => ({ value: String(v.version), text: `v${v.version} · step ${v.trainingSteps}` }))]
        : [{ value: 'latest', text: 'one version' }],
      String(summary.follow),
    );
    this.#pickers.get('version')!.disabled = versions.length === 0;
    const styles = summary.styles ?? model?.styles ?? (summary.style ? [summary.style] : []);
    this.#fillPicker(
      'style',
      symbolic ? styles.map((s) => ({ value: s, text: s })) : [{ value: '', text: 'symbolic models only' }],
      symbolic ? summary.style ?? '' : '',
    );
    // A waveform model has one sound, its own: shown, not choosable.
    const instruments = symbolic ? summary.instruments ?? [summary.instrument] : [summary.instrument];
    const presetLabel = (name: string) => choices.instrument?.find((c) => c.value === name)?.label ?? name;
    this.#fillPicker('instrument', instruments.map((i) => ({ value: i, text: presetLabel(i) })), summary.instrument);
    // Programs and the kit: the General MIDI names when the token has fetched them, else numbers.
    const programs = (choices.programs ?? Array.from({ length: 128 }, (_, n) => ({ value: n, label: String(n) }))).map(textOf);
    const kits = (choices.drumKit ?? []).map(textOf);
    const swappable = summary.programs !== undefined;
    for (const track of PROGRAM_TRACKS) {
      const program = summary.programs?.[track];
      this.#fillPicker(`programs.${track}`, program === undefined ? [SILENT, ...programs] : programs, program === undefined ? '' : String(program));
    }
    const kit = summary.drumKit;
    this.#fillPicker('drumKit', kit === null || kit === undefined ? [SILENT, ...kits] : kits, kit === null || kit === undefined ? '' : String(kit));
    for (const name of ['programs.lead', 'programs.chords', 'programs.bass', 'drumKit'] as const) this.#pickers.get(name)!.disabled = !swappable;
    for (const name of SLIDERS) {
      const slider = this.#sliders.get(name)!;
      const range = ranges[name];
      slider.min = String(range.min);
      slider.max = String(range.max);
      slider.step = String(range.step);
      const value = summary[name];
      const applies = value !== undefined && (symbolic || !SYMBOLIC_ONLY.has(name));
      slider.disabled = !applies;
      if (this.#busy.has(name)) continue;
      if (applies) slider.value = String(value);
      setText(this.#readouts.get(name)!, applies ? formatControlValue(name, value) : UNKNOWN);
    }
    for (const name of ['style', 'instrument'] as const) this.#pickers.get(name)!.disabled = !symbolic;
  }

  #fillPicker(name: PickerControl, options: { value: string; text: string }[], selected: string): void {
    const select = this.#pickers.get(name)!;
    if (this.#busy.has(name)) return;
    const same =
      select.options.length === options.length &&
      options.every((option, i) => select.options[i].value === option.value && select.options[i].text === option.text);
    if (!same) select.replaceChildren(...options.map((o) => el('option', { value: o.value }, o.text)));
    if (!options.some((o) => o.value === selected)) select.append(el('option', { value: selected }, selected));
    select.value = selected;
  }
}

const SILENT = { value: '', text: '(silent)' };
const textOf = (choice: Choice) => ({ value: String(choice.value), text: choice.label });

/** The PATCH body a picker sends: programs and the kit are numbers, programs per track. */
function changeOf(picker: PickerControl, value: string): ChannelChanges {
  if (picker.startsWith('programs.')) return { programs: { [picker.slice('programs.'.length)]: Number(value) } };
  if (picker === 'drumKit') return { drumKit: Number(value) };
  if (picker === 'version') return { version: value === 'latest' ? 'latest' : Number(value) };
  return { [picker]: value };
}
