# A client that asks for a stream and then never reads it, with a tiny TCP receive buffer, so
# the server sees a stalled listener within seconds (Node's net module cannot set SO_RCVBUF).
# Usage: stalled-client.py PORT PATH [websocket]   — exits when the server closes the connection.
import socket, sys

port, path = int(sys.argv[1]), sys.argv[2]
websocket = len(sys.argv) > 3 and sys.argv[3] == "websocket"
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
if websocket:
    request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
s.sendall((request + "\r\n").encode())
print("sent", flush=True)
sys.stdin.read()  # hold the connection, unread, until the test closes our stdin
