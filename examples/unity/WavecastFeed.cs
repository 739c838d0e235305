// WavecastFeed.cs: plays a wavecast channel's WebSocket PCM feed in Unity.
//
// UNTESTED IN UNITY: written against the documented Unity API (2021.3+, .NET Standard 2.1) but
// never built or run in Unity. Only its socket, ring buffer and title handling were run, under Mono
// with stand-ins for the UnityEngine types (6 s of a live feed: header, title, no gaps, no
// dropouts). The Godot client in examples/godot is the tested one; treat this as a starting point.
//
// The feed (see "For a game: the WebSocket PCM feed" in wavecast's README): a JSON text header
// {"type":"header","sampleRate","channels","format","frameSamples","title"}, then binary messages
// (uint32 little-endian sequence number + interleaved float32 PCM with ?format=f32le), and a JSON
// {"type":"title","title"} message whenever the title changes.
//
//   ClientWebSocket (background task) ─► ring buffer ─► streaming AudioClip (PCMReaderCallback)
//
// Use: add to a GameObject with an AudioSource, set Url and Channel, subscribe to TitleChanged.
// Unity resamples the clip (created at the header's sampleRate) to the output rate.
using System;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using UnityEngine;

[RequireComponent(typeof(AudioSource))]
public class WavecastFeed : MonoBehaviour
{
    [Tooltip("The wavecast server, ws://host:port")]
    public string Url = "ws://127.0.0.1:8000";
    public string Channel = "lobby";
    [Tooltip("Seconds queued before playback starts")]
    public float JitterSeconds = 0.2f;
    [Tooltip("Seconds the ring buffer holds; older audio is dropped beyond it")]
    public float BufferSeconds = 4f;
    public float MaxBackoffSeconds = 8f;

    /// <summary>Raised on the main thread with the header's title and on every change.</summary>
    public event Action<string> TitleChanged;
    public string Title { get; private set; } = "";
    public long Gaps => Interlocked.Read(ref gaps);

    [Serializable]
    private class Message { public string type; public int sampleRate; public int channels; public string format; public int frameSamples; public string title; }

    private readonly object ringLock = new object();
    private float[] ring = new float[0];      // interleaved samples
    private int readPos, count;
    private bool buffering = true;
    private long lastSeq = -1, gaps;
    private volatile Message pendingHeader;   // set by the socket task, consumed in Update
    private volatile string pendingTitle;
    private int jitterSamples;                // guarded by ringLock, like the ring
    private AudioSource source;
    private CancellationTokenSource cancel;

    private void OnEnable()
    {
        source = GetComponent<AudioSource>();
        cancel = new CancellationTokenSource();
        _ = Task.Run(() => RunAsync(cancel.Token));
    }

    private void OnDisable()
    {
        cancel?.Cancel();
        source.Stop();
    }

    private void Update()
    {
        var header = pendingHeader;
        pendingHeader = null;
        if (header != null && (source.clip == null || header.sampleRate != source.clip.frequency || header.channels != source.clip.channels))
        {
            // A clip has one rate and channel count: make one for this stream (main thread only).
            source.clip = AudioClip.Create("wavecast " + Channel, header.sampleRate * 60, header.channels, header.sampleRate, true, OnAudioRead);
            source.loop = true;
            source.Play();
        }
        var title = pendingTitle;
        if (title != null && title != Title)
        {
            pendingTitle = null;
            Title = title;
            TitleChanged?.Invoke(title);
        }
    }

    // Unity's audio side asks for the next `data.Length` interleaved samples.
    private void OnAudioRead(float[] data)
    {
        lock (ringLock)
        {
            if (buffering && count >= jitterSamples) buffering = false;
            int n = buffering ? 0 : Math.Min(data.Length, count);
            for (int i = 0; i < n; i++) data[i] = ring[(readPos + i) % ring.Length];
            readPos = (readPos + n) % Math.Max(ring.Length, 1);
            count -= n;
            if (n < data.Length) { Array.Clear(data, n, data.Length - n); buffering = true; }  // ran dry
        }
    }

    private void OnHeader(Message header)
    {
        lock (ringLock)
        {
            int size = (int)(BufferSeconds * header.sampleRate) * header.channels;
            if (ring.Length != size) { ring = new float[size]; readPos = count = 0; buffering = true; }
            jitterSamples = (int)(JitterSeconds * header.sampleRate) * header.channels;
        }
        pendingHeader = header;
    }

    private void Write(byte[] message, int length)
    {
        int samples = (length - 4) / 4;
        lock (ringLock)
        {
            for (int i = 0; i < samples; i++)
            {
                if (count == ring.Length) { readPos = (readPos + 1) % ring.Length; count--; }  // full: drop the oldest
                ring[(readPos + count) % ring.Length] = BitConverter.ToSingle(message, 4 + i * 4);  // wire and x86/ARM are little-endian
                count++;
            }
        }
    }

    private async Task RunAsync(CancellationToken token)
    {
        var backoff = 0.5;
        var buffer = new byte[1 << 20];
        var random = new System.Random();
        while (!token.IsCancellationRequested)
        {
            try
            {
                using (var socket = new ClientWebSocket())
                {
                    await socket.ConnectAsync(new Uri($"{Url.TrimEnd('/')}/ws/{Uri.EscapeDataString(Channel)}?format=f32le"), token);
                    bool fresh = true;
                    while (socket.State == WebSocketState.Open)
                    {
                        int length = 0;
                        WebSocketReceiveResult result;
                        do
                        {
                            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), token);
                            length += result.Count;
                        } while (!result.EndOfMessage && length < buffer.Length);
                        if (result.MessageType == WebSocketMessageType.Close) break;
                        if (result.MessageType == WebSocketMessageType.Text)
                        {
                            var message = JsonUtility.FromJson<Message>(Encoding.UTF8.GetString(buffer, 0, length));
                            if (message.type == "header") { OnHeader(message); backoff = 0.5; }
                            if (message.title != null) pendingTitle = message.title;
                            continue;
                        }
                        long seq = BitConverter.ToUInt32(buffer, 0);
                        // A reconnect's burst repeats audio already queued: skip it (unless far
                        // behind, which means the server restarted).
                        if (lastSeq >= 0 && seq <= lastSeq && !(fresh && lastSeq - seq > 220)) continue;
                        if (lastSeq >= 0 && seq > lastSeq + 1) Interlocked.Add(ref gaps, seq - lastSeq - 1);
                        lastSeq = seq;
                        fresh = false;
                        Write(buffer, length);
                    }
                }
            }
            catch (OperationCanceledException) { return; }
            catch (Exception error) { Debug.LogWarning($"wavecast: {error.Message}; reconnecting"); }
            // Back off 0.5 s, doubling to MaxBackoffSeconds, ±20 % so many clients spread out.
            await Task.Delay(TimeSpan.FromSeconds(backoff * (0.8 + 0.4 * random.NextDouble())), token).ContinueWith(_ => { });
            backoff = Math.Min(backoff * 2, MaxBackoffSeconds);
        }
    }
}
