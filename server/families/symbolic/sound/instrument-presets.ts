/**
 * Named instrument presets: which SoundFont program plays each track of the piano roll, how loud,
 * where in the stereo field, and how much reverb and chorus. The operator picks a preset and may
 * then swap any track's General MIDI program or the drum kit (`resolveSound`).
 *
 *     preset           drums         bass                 chords                lead               character
 *     piano            (silent)      Salamander grand     Salamander grand      Salamander grand   the café piano, sampled
 *     cafe-piano       Brush kit     Acoustic Bass        Acoustic Grand Piano  Acoustic Grand     brushed piano trio
 *     rhodes-trio      Jazz kit      Electric Bass finger Electric Piano 1      Vibraphone         chorus on the Rhodes
 *     vibes-lounge     Brush kit     Acoustic Bass        Electric Piano 2      Vibraphone         a long room
 *     strings-ambient  (silent)      Contrabass           String Ensemble 2     Flute              a hall
 *     nylon-bossa      Brush kit     Acoustic Bass        Nylon Guitar          Flute              dry and close
 *     band             Standard kit  Electric Bass finger Acoustic Grand Piano  Alto Sax           a room
 *     electronic       TR-808        Synth Bass 1         Pad 2 (warm)          Lead 2 (sawtooth)  chorus and reverb
 *
 * `trim` levels each preset so it plays near the loudness target before the channel's slow
 * loudness control has anything to do (measured with the repo's meter on the committed model's
 * phrases: scripts/calibrate-presets.ts), so switching presets barely moves the loudness.
 */
import type { Decibels } from '../../../core/units.js';
import type { TrackName } from '../piano-roll.js';
import { DRUM_KITS } from './gm-names.js';
import type { SoundBankName } from './sound-banks.js';

/** A melodic track's sound. Levels are MIDI: 0–127. */
export interface TrackSound {
  bank: SoundBankName;
  /** Program in that bank, 0–127 (General MIDI numbering from 0). */
  program: number;
  /** Channel volume (CC 7). */
  volume: number;
  /** Stereo position, −1 (left) to 1 (right). */
  pan: number;
  /** Effect sends (CC 91, CC 93). */
  reverb: number;
  chorus: number;
}

/** The drum track's sound: a GS kit (DRUM_KITS) from the General MIDI bank. */
export interface DrumSound {
  kit: number;
  volume: number;
  pan: number;
  reverb: number;
  chorus: number;
}

/** How one channel sounds: each track's sound (null: silent), effects and level. */
export interface ChannelSound {
  drums: DrumSound | null;
  bass: TrackSound | null;
  chords: TrackSound | null;
  lead: TrackSound | null;
  /** Reverb and chorus return levels (0 is dry; 1 is spessasynth's full effect level). */
  reverb: number;
  chorus: number;
  /** Level of the whole preset (see the file header). */
  trim: Decibels;
}

export interface InstrumentPreset extends ChannelSound {
  /** One line for the operator panel. */
  description: string;
}

/** The tracks whose program an operator may choose (the drum track takes a kit instead). */
export const MELODIC_TRACKS = ['bass', 'chords', 'lead'] as const satisfies readonly TrackName[];
export type MelodicTrack = (typeof MELODIC_TRACKS)[number];

const gm = (program: number, volume: number, options: Partial<TrackSound> = {}): TrackSound => ({
  bank: 'musescore',
  program,
  volume,
  pan: 0,
  reverb: 40,
  chorus: 0,
  ...options,
});
const kit = (number: keyof typeof DRUM_KITS, volume: number, options: Partial<DrumSound> = {}): DrumSound => ({
  kit: number,
  volume,
  pan: 0,
  reverb: 30,
  chorus: 0,
  ...options,
});

export const INSTRUMENT_PRESETS = {
  piano: {
    description: 'Salamander grand piano (sampled) for chords, bass and melody, no drums',
    drums: null,
    bass: { ...gm(0, 92), bank: 'salamander', pan: -0.1 },
    chords: { ...gm(0, 96), bank: 'salamander', pan: 0.1 },
    lead: { ...gm(0, 100), bank: 'salamander' },
    reverb: 0.5,
    chorus: 0,
    trim: 15.9,
  },
  'cafe-piano': {
    description: 'piano trio with brushes: grand piano, upright bass, brush kit',
    drums: kit(40, 70, { pan: 0.15 }),
    bass: gm(32, 86, { pan: -0.15 }),
    chords: gm(0, 106),
    lead: gm(0, 100, { pan: 0.1 }),
    reverb: 0.6,
    chorus: 0,
    trim: 13.1,
  },
  'rhodes-trio': {
    description: 'vibraphone over Rhodes, fingered bass and a jazz kit',
    drums: kit(32, 72, { pan: 0.1 }),
    bass: gm(33, 108, { pan: -0.1 }),
    chords: gm(4, 104, { chorus: 70 }),
    lead: gm(11, 96, { pan: 0.2, reverb: 60 }),
    reverb: 0.5,
    chorus: 0.6,
    trim: 8.5,
  },
  'vibes-lounge': {
    description: 'vibraphone over electric piano, upright bass and brushes in a long room',
    drums: kit(40, 64, { pan: 0.2 }),
    bass: gm(32, 86, { pan: -0.1 }),
    chords: gm(5, 96, { reverb: 70 }),
    lead: gm(11, 104, { pan: 0.15, reverb: 70 }),
    reverb: 0.8,
    chorus: 0,
    trim: 11.8,
  },
  'strings-ambient': {
    description: 'a flute over slow strings and a contrabass drone, in a hall; no drums',
    drums: null,
    bass: gm(43, 96, { reverb: 80 }),
    chords: gm(49, 104, { reverb: 90, chorus: 30 }),
    lead: gm(73, 88, { pan: 0.2, reverb: 90 }),
    reverb: 1,
    chorus: 0.4,
    trim: 8.3,
  },
  'nylon-bossa': {
    description: 'flute, nylon guitar, upright bass and brushes, dry and close',
    drums: kit(40, 60, { pan: 0.2, reverb: 20 }),
    bass: gm(32, 84, { pan: -0.1, reverb: 20 }),
    chords: gm(24, 112, { reverb: 30 }),
    lead: gm(73, 90, { pan: 0.2, reverb: 40 }),
    reverb: 0.4,
    chorus: 0,
    trim: 10.5,
  },
  band: {
    description: 'alto sax, grand piano, electric bass and a standard kit in a room',
    drums: kit(0, 80),
    bass: gm(33, 106),
    chords: gm(0, 100),
    lead: gm(65, 92, { pan: 0.15 }),
    reverb: 0.5,
    chorus: 0,
    trim: 6.7,
  },
  electronic: {
    description: 'saw lead, warm pad, synth bass and a TR-808',
    drums: kit(25, 86),
    bass: gm(38, 100, { reverb: 20 }),
    chords: gm(89, 96, { reverb: 60, chorus: 60 }),
    lead: gm(81, 80, { reverb: 60, chorus: 40 }),
    reverb: 0.6,
    chorus: 0.5,
    trim: 8.5,
  },
} as const satisfies Record<string, InstrumentPreset>;

export type InstrumentPresetName = keyof typeof INSTRUMENT_PRESETS;
export const INSTRUMENT_PRESET_NAMES = Object.keys(INSTRUMENT_PRESETS) as InstrumentPresetName[];

/** An operator's swaps on top of a preset: General MIDI programs per track, and the drum kit. */
export interface SoundOverrides {
  programs?: Partial<Record<MelodicTrack, number>>;
  drumKit?: number;
}

/**
 * The preset with the operator's swaps. A program swap takes the General MIDI bank (the
 * Salamander bank has one program) and turns a silent track on at a middling level; a drum kit
 * swap does the same for the drums.
 */
export function resolveSound(name: InstrumentPresetName, overrides: SoundOverrides = {}): ChannelSound {
  const preset: InstrumentPreset = INSTRUMENT_PRESETS[name];
  const sound: ChannelSound = { drums: preset.drums, bass: preset.bass, chords: preset.chords, lead: preset.lead, reverb: preset.reverb, chorus: preset.chorus, trim: preset.trim };
  for (const track of MELODIC_TRACKS) {
    const program = overrides.programs?.[track];
    if (program === undefined) continue;
    const base = preset[track];
    sound[track] = base ? { ...base, program, bank: base.bank === 'salamander' ? 'musescore' : base.bank } : gm(program, 96);
  }
  if (overrides.drumKit !== undefined) sound.drums = { ...(preset.drums ?? kit(0, 70)), kit: overrides.drumKit };
  return sound;
}

/** The sound banks a channel sound plays from (the General MIDI bank always: it holds the drum kits). */
export function banksOf(sound: ChannelSound): SoundBankName[] {
  const banks = new Set<SoundBankName>(['musescore']);
  for (const track of MELODIC_TRACKS) if (sound[track]) banks.add(sound[track].bank);
  return [...banks];
}
