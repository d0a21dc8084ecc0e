"""Forms of the import pages: they parse input; the rules live in directory.services.imports."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory import import_rows
from directory.models import ImportBatch
from directory.services import imports as importing
from ess_platform.lib import spreadsheets


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_("5 Mo et 20 000 lignes au plus. La première ligne donne le nom des colonnes."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before reading it into memory (the service checks the bytes again).
        if upload.size > spreadsheets.MAX_FILE_BYTES:
            raise ValidationError(
                _("Le fichier dépasse %(size)s Mo : découpez-le en plusieurs fichiers.")
                % {"size": spreadsheets.MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class MappingForm(forms.Form):
    """One select per column of the file: which actor field it feeds, or none."""

    def __init__(self, *args, batch: ImportBatch, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— ignorer —")), *import_rows.FIELDS.items()]
        self.columns = []
        for index, header in enumerate(batch.headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(label=header, choices=choices, required=False)
            self.initial.setdefault(name, batch.mapping.get(str(index), ""))
            samples = [cells[index] for _line, cells in batch.rows[:50] if cells[index]][:3]
            self.columns.append((self[name], samples))

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("col_"): value for name, value in self.cleaned_data.items() if value
        }


class StartForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode d'import"),
        choices=ImportBatch.Mode.choices,
        widget=forms.RadioSelect,
    )
    skip = forms.TypedMultipleChoiceField(
        label=_("Lignes en erreur à ignorer"), coerce=int, required=False
    )
    other_lines = forms.CharField(
        label=_("Autres lignes à ignorer"),
        help_text=_("Numéros de ligne du fichier, par exemple : 3, 8-10."),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, batch: ImportBatch, **kwargs):
        super().__init__(*args, **kwargs)
        error_lines = sorted(int(line) for line in batch.row_errors)
        self.fields["skip"].choices = [(line, str(line)) for line in error_lines]
        self.initial.setdefault(
            "mode",
            ImportBatch.Mode.SKIP_CHOSEN if error_lines else ImportBatch.Mode.ALL_OR_NOTHING,
        )
        # Erroneous rows are preselected: they cannot be imported as they are.
        self.initial.setdefault("skip", error_lines)

    def clean_other_lines(self) -> set[int]:
        return importing.parse_line_numbers(self.cleaned_data["other_lines"])

    def skipped(self) -> set[int]:
        return set(self.cleaned_data["skip"]) | self.cleaned_data["other_lines"]
