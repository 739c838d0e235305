# Demo scene for WavecastFeed: plays a channel and shows its title. Command-line options (after
# `--`) for headless checks:
#
#   godot3 --path examples/godot -- [URL] [CHANNEL] [--format s16le] [--seconds N] [--report]
#
# URL defaults to the Feed node's `url` (ws://127.0.0.1:8000), CHANNEL to `lobby`. --seconds
# quits after N seconds; --report prints one `wavecast: …` line a second and a `wavecast: done …`
# line at exit (the counters are WavecastFeed.stats; the title is the Label's text).
extends Control

onready var feed = $Feed
onready var title_label: Label = $Title
onready var status_label: Label = $Status

var _quit_after := 0.0
var _report := false
var _started_ms := 0
var _next_report := 1.0


func _ready() -> void:
	var positional := []
	var args := Array(OS.get_cmdline_args())
	if not args.empty() and args[0] == "--":
		args.pop_front()
	while not args.empty():
		var arg: String = args.pop_front()
		if arg == "--format" and not args.empty():
			feed.format = args.pop_front()
		elif arg == "--seconds" and not args.empty():
			_quit_after = float(args.pop_front())
		elif arg == "--report":
			_report = true
		elif not arg.begins_with("-"):
			positional.push_back(arg)
	if positional.size() > 0:
		feed.url = positional[0]
	if positional.size() > 1:
		feed.channel = positional[1]
	if OS.get_name() == "Server":
		# Headless there is no vsync to pace frames: 60 a second is plenty to keep audio fed.
		Engine.target_fps = 60
	feed.connect("title_changed", self, "_on_title_changed")
	feed.connect("disconnected", self, "_on_disconnected")
	_started_ms = OS.get_ticks_msec()
	feed.listen()


func _process(_delta: float) -> void:
	var elapsed := (OS.get_ticks_msec() - _started_ms) / 1000.0
	status_label.text = "%s · %.1f s buffered" % [feed.status(), feed.buffered_seconds()]
	if _report and elapsed >= _next_report:
		_next_report += 1.0
		print(_report_line("wavecast:", elapsed))
	if _quit_after > 0.0 and elapsed >= _quit_after:
		if _report:
			print(_report_line("wavecast: done", elapsed))
		feed.stop_feed()
		get_tree().quit()
		_quit_after = 0.0


func _on_title_changed(title: String) -> void:
	title_label.text = title


func _on_disconnected(reason: String) -> void:
	print("wavecast: disconnected (%s), reconnecting" % reason)


func _report_line(prefix: String, elapsed: float) -> String:
	var s: Dictionary = feed.stats
	return "%s t=%.2f state=%s rate=%d channels=%d packets=%d frames=%d pushed=%d skips=%d underruns=%d buffered=%.2f seq_first=%d seq_last=%d gaps=%d duplicates=%d dropped=%d reconnects=%d title=%s" % [
		prefix, elapsed, feed.status(), feed.sample_rate, feed.channels,
		s.packets, s.frames, s.pushed, s.skips, s.underruns, feed.buffered_seconds(),
		s.seq_first, s.seq_last, s.gaps, s.duplicates, s.dropped, s.reconnects, to_json(title_label.text),
	]
