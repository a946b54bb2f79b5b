from django import forms

from permanence.core import forms as core_forms
from permanence.organisations.models import Organisation


class FileInput(forms.FileInput):
    """A file input that takes several files (its class name keeps includes/field.html's file styling)."""

    allow_multiple_selected = True


class FilesField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not [d for d in data if d]:  # no file chosen (or only empty ones the browser sent): required
                return single(None, initial)
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else single(data, initial)


class UploadForm(core_forms.Form):
    la = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Local authority", empty_label=None,
                                help_text="The LA whose SSDA903 return these files are.")
    files = FilesField(label="SSDA903 files", widget=FileInput(attrs={"multiple": True, "accept": ".csv,.xml"}),
                       help_text="The CSV tables (Header, Episodes, AD1, PlacedAdoption and any others) or the "
                                 "903 XML, for one or more years. Tables are recognised by their headers.",
                       error_messages={"required": "Choose the SSDA903 files to upload",
                                       "empty": "The file you chose is empty: choose the SSDA903 files again"})
    dry_run = forms.BooleanField(required=False, label="Dry run: show what would change, change nothing")

    def __init__(self, *args, las, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].queryset = las


class DecideForm(core_forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Use the value from the 903 return"),
                                          ("keep", "Keep the value recorded in Permanence")],
                                 widget=forms.RadioSelect, label="What should Permanence hold?")
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reason")
