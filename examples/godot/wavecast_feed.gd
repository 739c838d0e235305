# WavecastFeed: plays one wavecast channel through this AudioStreamPlayer (Godot 3.2+).
#
# The feed (see "For a game: the WebSocket PCM feed" in wavecast's README):
#   1. a JSON text message {"type":"header","sampleRate","channels","format","frameSamples","title"}
#   2. binary messages: uint32 little-endian sequence number, then frameSamples frames of
#      interleaved PCM (f32le or s16le); sequence numbers are contiguous, a gap means loss
#   3. a JSON text message {"type":"title","title"} whenever the title changes
#
#   WebSocketClient ─► packet queue (jitter buffer) ─► decode ─► AudioStreamGenerator ─► bus
#
# Use: add this node, set `url` and `channel`, connect `title_changed` to a Label. It connects
# on _ready (unless `autostart` is off: call listen()), and reconnects with backoff on its own.
class_name WavecastFeed
extends AudioStreamPlayer

## Emitted with the title from the header and again whenever it changes.
signal title_changed(title)
## Emitted on every header: a Dictionary as the server sent it.
signal connected(header)
## Emitted when a connection ends; `reason` is the server's close reason or what went wrong.
signal disconnected(reason)

## The connection: IDLE (not listening), CONNECTING (until the header), STREAMING, BACKOFF
## (waiting to reconnect). Playback goes on from the queue whatever the connection does.
enum State { IDLE, CONNECTING, STREAMING, BACKOFF }

## The server, `ws://host:port` (http:// is turned into ws://).
export var url := "ws://127.0.0.1:8000"
export var channel := "lobby"
## f32le passes the server's floats through; s16le halves the bytes.
export(String, "f32le", "s16le") var format := "f32le"
export var autostart := true
## Audio queued before playback starts, and again after running dry.
export var jitter_seconds := 0.2
## Older packets are dropped beyond this much queued audio, so latency stays bounded when the
## server's clock runs ahead of the sound card's.
export var max_queue_seconds := 4.0
## The generator's own ring buffer (Godot rounds it up to a power of two frames).
export var generator_seconds := 0.5
## A connection that delivers nothing for this long is closed and retried.
export var stall_seconds := 3.0
export var first_backoff_seconds := 0.5
export var max_backoff_seconds := 8.0

var state = State.IDLE
## True until jitter_seconds are queued, at the start and after running dry.
var buffering := true
var title := ""
var sample_rate := 0
var channels := 0
## Counters a game can show or log; `frames` are sample frames received (duplicates excluded).
var stats := {
	"packets": 0, "frames": 0, "pushed": 0, "dropped": 0, "duplicates": 0, "gaps": 0,
	"seq_first": -1, "seq_last": -1, "reconnects": 0, "restarts": 0, "underruns": 0, "skips": 0,
}

var _socket: WebSocketClient
var _playback: AudioStreamGeneratorPlayback
var _queue := []              # binary messages not yet pushed, and titles (Strings) in their place
var _queued_frames := 0
var _bytes_per_sample := 4
var _frames_per_second := 20.0
var _reader := StreamPeerBuffer.new()
var _backoff := 0.0
var _wait := 0.0              # seconds until the next attempt (BACKOFF) or since the last message
var _fresh_connection := false
var _skips_before := 0        # skips of generators replaced by a reconnect
var _ring := 0                # the generator's capacity in frames
var _retired := []            # closed sockets, kept until the next frame (see _close_socket)


func _ready() -> void:
	randomize()
	if autostart:
		listen()


## Connects (again) to `url`/ws/`channel`.
func listen() -> void:
	_close_socket()
	_socket = WebSocketClient.new()
	# The server's connect burst (2 s by default: 700 KB of f32le) arrives at once and must fit in
	# the input buffer, or wslay drops packets.
	_socket.set_buffers(4096, 1024, 64, 64)
	_socket.connect("connection_established", self, "_on_established")
	_socket.connect("connection_error", self, "_on_lost", ["connection failed"])
	_socket.connect("connection_closed", self, "_on_closed")
	_socket.connect("server_close_request", self, "_on_close_request")
	var base := url.replace("http://", "ws://").replace("https://", "wss://").trim_suffix("/")
	state = State.CONNECTING
	_wait = 0.0
	var error := _socket.connect_to_url("%s/ws/%s?format=%s" % [base, channel.percent_encode(), format])
	if error != OK:
		_on_lost("connect_to_url: error %d" % error)


## Disconnects and stops retrying.
func stop_feed() -> void:
	_close_socket()
	state = State.IDLE
	stop()
	if _playback != null:
		_skips_before += _playback.get_skips()
		_playback = null
	buffering = true
	_queue.clear()
	_queued_frames = 0


## "idle", "connecting", "buffering", "playing" or "backoff", for a status line.
func status() -> String:
	if state == State.STREAMING:
		return "buffering" if buffering else "playing"
	return State.keys()[state].to_lower()


## Seconds of audio received but not yet heard (queue + generator buffer).
func buffered_seconds() -> float:
	if sample_rate == 0:
		return 0.0
	var in_generator := 0
	if _playback != null and playing:
		in_generator = _ring - _playback.get_frames_available()
	return float(_queued_frames + in_generator) / sample_rate


func _process(delta: float) -> void:
	_retired.clear()
	match state:
		State.BACKOFF:
			_wait -= delta
			if _wait <= 0.0:
				stats.reconnects += 1
				listen()
		State.CONNECTING, State.STREAMING:
			_socket.poll()
			_read_messages()
			_wait += delta
			if state != State.BACKOFF and _wait > stall_seconds:
				_on_lost("nothing received for %.1f s" % stall_seconds)
	# Queued audio keeps playing while the connection is down.
	_feed_generator()
	if _playback != null:
		stats.skips = _skips_before + _playback.get_skips()


func _read_messages() -> void:
	if _socket == null or _socket.get_connection_status() != NetworkedMultiplayerPeer.CONNECTION_CONNECTED:
		return
	var peer := _socket.get_peer(1)
	while peer.get_available_packet_count() > 0:
		var packet := peer.get_packet()
		_wait = 0.0
		if peer.was_string_packet():
			_on_text(packet.get_string_from_utf8())
		elif sample_rate > 0:
			_on_pcm(packet)


func _on_text(text: String) -> void:
	var message = parse_json(text)
	if typeof(message) != TYPE_DICTIONARY:
		push_warning("wavecast: not JSON: %s" % text.left(80))
		return
	if message.get("type") == "header":
		_on_header(message)
	elif message.get("type") == "title":
		# The title goes with the audio it names: it takes effect when that audio is pushed.
		_queue.push_back(str(message.title))


func _on_header(header: Dictionary) -> void:
	var rate := int(header.sampleRate)
	channels = int(header.channels)
	_bytes_per_sample = 2 if header.format == "s16le" else 4
	_frames_per_second = float(rate) / float(header.frameSamples)
	_fresh_connection = true
	_backoff = 0.0
	if rate != sample_rate or _playback == null:
		# A generator plays at one mix rate; a new rate needs a new one (Godot resamples to the bus).
		if _playback != null:
			_skips_before += _playback.get_skips()
		stop()
		buffering = true
		_queue.clear()
		_queued_frames = 0
		sample_rate = rate
		var generator := AudioStreamGenerator.new()
		generator.mix_rate = rate
		generator.buffer_length = generator_seconds
		stream = generator
		_playback = null
	state = State.STREAMING
	if playing:
		_queue.push_back(str(header.title))  # names the live edge: after what is queued already
	else:
		_set_title(str(header.title))
	emit_signal("connected", header)


func _on_pcm(packet: PoolByteArray) -> void:
	_reader.data_array = packet
	var seq := _reader.get_u32()
	var last: int = stats.seq_last
	if last >= 0 and seq <= last:
		# After a reconnect the burst repeats audio already queued: skip it. A sequence far behind
		# (more than the longest burst, 10 s) means the server restarted: start counting again.
		if not (_fresh_connection and last - seq > 11.0 * _frames_per_second):
			stats.duplicates += 1
			return
		stats.restarts += 1
		last = -1
	elif last >= 0 and seq > last + 1:
		stats.gaps += seq - last - 1
	_fresh_connection = false
	if stats.seq_first < 0:
		stats.seq_first = seq
	stats.seq_last = seq
	stats.packets += 1
	var frames := _frames_in(packet)
	stats.frames += frames
	_queue.push_back(packet)
	_queued_frames += frames
	while _queued_frames > max_queue_seconds * sample_rate:
		var oldest = _queue.pop_front()
		if typeof(oldest) == TYPE_STRING:
			_set_title(oldest)
		else:
			_queued_frames -= _frames_in(oldest)
			stats.dropped += 1


func _feed_generator() -> void:
	if sample_rate == 0:
		return
	if buffering:
		if _queued_frames < jitter_seconds * sample_rate:
			return
		buffering = false
		if not playing:
			play()
			_playback = get_stream_playback()
			_ring = _playback.get_frames_available()  # empty: its capacity
	while not _queue.empty():
		if typeof(_queue[0]) == TYPE_STRING:
			_set_title(_queue.pop_front())
			continue
		if _playback.get_frames_available() < _frames_in(_queue[0]):
			break
		var pcm := _decode(_queue.pop_front())
		_queued_frames -= pcm.size()
		_playback.push_buffer(pcm)
		stats.pushed += pcm.size()
	if _queue.empty() and _playback.get_frames_available() >= _ring:
		# Ran dry: the generator plays silence until jitter_seconds have queued again.
		stats.underruns += 1
		buffering = true


func _decode(packet: PoolByteArray) -> PoolVector2Array:
	var frames := _frames_in(packet)
	var out := PoolVector2Array()
	out.resize(frames)
	_reader.data_array = packet
	_reader.seek(4)
	var float_samples := _bytes_per_sample == 4
	var extra := int(max(channels - 2, 0)) * _bytes_per_sample
	for i in frames:
		var left: float = _reader.get_float() if float_samples else _reader.get_16() / 32768.0
		var right: float = left
		if channels > 1:
			right = _reader.get_float() if float_samples else _reader.get_16() / 32768.0
		if extra > 0:
			_reader.seek(_reader.get_position() + extra)
		out[i] = Vector2(left, right)
	return out


func _frames_in(packet: PoolByteArray) -> int:
	return (packet.size() - 4) / (_bytes_per_sample * channels)


func _set_title(new_title: String) -> void:
	if new_title != title:
		title = new_title
		emit_signal("title_changed", title)


func _on_established(_protocol: String) -> void:
	_wait = 0.0


func _on_close_request(code: int, reason: String) -> void:
	# 1008 too slow, 4404 unknown channel, 4400 bad query, 4503 full: all retried with backoff.
	push_warning("wavecast: server closed %d %s" % [code, reason])
	_on_lost("closed %d: %s" % [code, reason])


func _on_closed(_clean: bool) -> void:
	_on_lost("connection closed")


## Schedules the next attempt: first_backoff_seconds, doubling up to max_backoff_seconds,
## ±20 % so many clients do not return at once. A header resets it.
func _on_lost(reason: String) -> void:
	if state == State.BACKOFF or state == State.IDLE:
		return
	_close_socket()
	_backoff = first_backoff_seconds if _backoff == 0.0 else min(_backoff * 2.0, max_backoff_seconds)
	_wait = _backoff * rand_range(0.8, 1.2)
	state = State.BACKOFF
	emit_signal("disconnected", reason)


func _close_socket() -> void:
	if _socket == null:
		return
	var socket := _socket
	_socket = null
	for signal_name in ["connection_established", "connection_error", "connection_closed", "server_close_request"]:
		for link in socket.get_signal_connection_list(signal_name):
			socket.disconnect(signal_name, link.target, link.method)
	socket.disconnect_from_host()
	# This may run inside one of the socket's own signals: freeing it there crashes Godot 3.2.
	_retired.push_back(socket)
