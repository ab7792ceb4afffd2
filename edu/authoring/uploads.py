"""An upload handler that stops reading an upload past the import limit.

Django streams a large upload to a temporary file whole before a form can look at its size;
this handler refuses it as soon as the request says (or the bytes show) it is too big, keeping
no more than the limit, and leaves a flag for the view to say so in words.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the form's other fields and the multipart boundaries.
_ENVELOPE_BYTES = 256 * 1024


class SizeLimitedUpload(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_big = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + _ENVELOPE_BYTES:
            self.too_big = True
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_big = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
