"""The forms of the import page: upload or paste, then choose a topic and publish."""

from django import forms

from .services import MOST_UPLOAD_BYTES

# A long textbook chapter is 100,000 characters; the request limit
# (DATA_UPLOAD_MAX_MEMORY_SIZE) leaves room for this many at 4 bytes each.
MOST_PASTED_CHARS = 500_000
TOPIC_HELP = "Lowercase words joined by hyphens, e.g. myasthenia-gravis."


class UploadForm(forms.Form):
    document = forms.FileField(
        required=False,
        label="Document",
        help_text="A PDF, a Word file (.docx), a saved web page (.html), Markdown or text; "
        "at most 10 MB.",
    )
    text = forms.CharField(
        required=False,
        max_length=MOST_PASTED_CHARS,
        error_messages={
            "max_length": "The pasted text is longer than 500,000 characters: upload the "
            "document as a file instead."
        },
        label="Or paste the text",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    topic = forms.SlugField(required=False, max_length=80, label="Topic", help_text=TOPIC_HELP)

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("document"), (cleaned.get("text") or "").strip()
        if not upload and not text:
            raise forms.ValidationError("Choose a file to upload or paste some text.")
        if upload and upload.size > MOST_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        return cleaned


class PublishForm(forms.Form):
    token = forms.CharField(max_length=2000, widget=forms.HiddenInput)  # signed; a long file name
    topic = forms.SlugField(max_length=80, label="Topic", help_text=TOPIC_HELP)
