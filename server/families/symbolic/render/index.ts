/**
 * The offline renderer of the symbolic family: notes → PCM through Web Audio voices (sampled
 * piano, synth drums, synth bass, pad). Callers import from here; inside, files import each other.
 */
export { renderNotes, type RenderOptions } from './render-notes.js';
export { INSTRUMENT_SETS, INSTRUMENTS, isInstrumentSetName, type InstrumentSetName } from './instrument-set.js';
export { loadPianoSamples, type PianoSamples } from './piano-samples.js';
