/**
 * The MP3 stream as a feed: `GET /stream/<channel>` with `Icy-MetaData: 1`, the ICY titles split
 * out (icy-reader.ts), the MP3 decoded with mpg123 compiled to wasm (mpg123-decoder), the PCM
 * brought to the output format. The server starts every listener on an MP3 frame header and sends
 * the last 2 s at once, which fills the live buffer.
 */
import { MPEGDecoder } from 'mpg123-decoder';
import { describeNetworkError, type FeedConnector, type FeedEnd } from './feed.js';
import { IcyReader } from './icy-reader.js';
import { OutputFormatConverter } from './output-format.js';

/** The wasm decoder takes its input in bounded slices. */
const DECODE_SLICE = 16384;

export const connectMp3: FeedConnector = (url, handlers) => {
  const controller = new AbortController();
  let closeReason = 'closed';
  const ended = (async (): Promise<FeedEnd> => {
    const decoder = new MPEGDecoder();
    try {
      await decoder.ready;
      const response = await fetch(url, { headers: { 'Icy-MetaData': '1' }, signal: controller.signal });
      if (!response.ok) {
        const body = await response.text().catch(() => '');
        let message = body.slice(0, 300);
        try {
          message = (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? message;
        } catch {
          // Not wavecast's JSON error: the body's start is shown as it is.
        }
        return { reason: `the server answered ${response.status}${message ? `: ${message}` : ''}`, refused: response.status >= 400 && response.status < 500 };
      }
      const type = response.headers.get('content-type') ?? '';
      if (!/audio\/mpeg/.test(type)) return { reason: `the server sent ${type || 'no content type'}, not an MP3 stream (audio/mpeg)`, refused: true };
      const metaint = Number(response.headers.get('icy-metaint') ?? 0);
      const icy = metaint > 0 ? new IcyReader(metaint) : undefined;
      let converter: OutputFormatConverter | undefined;
      handlers.onOpen();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const part = icy ? icy.push(chunk) : { audio: [chunk], titles: [] };
        for (const bytes of part.audio) {
          for (let at = 0; at < bytes.length; at += DECODE_SLICE) {
            const decoded = decoder.decode(bytes.subarray(at, at + DECODE_SLICE));
            if (decoded.samplesDecoded === 0) continue;
            if (!converter || converter.inputRate !== decoded.sampleRate || converter.inputChannels !== decoded.channelData.length) {
              converter = new OutputFormatConverter(decoded.sampleRate, decoded.channelData.length);
            }
            handlers.onAudio(converter.fromPlanar(decoded.channelData, decoded.samplesDecoded));
          }
        }
        for (const title of part.titles) handlers.onTitle(title);
      }
      return { reason: 'the server ended the stream' };
    } catch (error) {
      if (controller.signal.aborted) return { reason: closeReason };
      return { reason: describeNetworkError(error) };
    } finally {
      decoder.free();
    }
  })();
  return {
    ended,
    close(reason) {
      closeReason = reason;
      controller.abort();
    },
  };
};
