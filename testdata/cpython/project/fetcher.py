"""Module DAT: imported by name from the other DATs."""
import requests


def fetch_state(host: str) -> dict:
    reply = requests.get(f"http://{host}/state")
    return reply.json()
