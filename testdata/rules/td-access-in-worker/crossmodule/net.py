# A helper module: it never starts a thread itself.
def download(url):
    op('log').text = url  # want "`op` touches TouchDesigner from a worker thread"
    return url


def parse(text):
    return text.split()
