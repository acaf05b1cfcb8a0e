"""Panel Execute DAT: TD calls onValueChange(panelValue, prev) on the main
thread."""
import fetcher


def onValueChange(panelValue, prev):
    state = fetcher.fetch_state('127.0.0.1:9980')  # blocks the main thread
    op('status').text = str(state)
