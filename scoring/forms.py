"""Forms for the scoring editor pages. Validation is the API serializers' (one place for
the rules of a valid model); these forms only turn text inputs into their values."""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext, gettext_lazy

from scoring.api.serializers import FitRuleSerializer, IntentRuleSerializer, ScoringModelSerializer
from scoring.engine import NUMBER
from scoring.models import EventType, Operator, ScoringModel

SETTINGS_FIELDS = ["notes", "fit_points_for_100", "intent_points_for_100", "mql_fit",
                   "mql_intent", "use_likelihood", "mql_likelihood", "hot_intent"]  # fmt: skip


def _copy_errors(form: forms.Form, errors: Any) -> None:
    """Serializer errors onto the form's fields (the rest onto the form)."""
    for name, messages in errors.items() if isinstance(errors, dict) else [(None, errors)]:
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(name if name in form.fields else None, str(message))


def _numbers(text: str) -> list[float | int] | None:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or not all(NUMBER.match(part) for part in parts):
        return None
    return [float(part) if "." in part else int(part) for part in parts]


class SettingsForm(forms.ModelForm):
    fit_grade_cuts = forms.CharField(label=gettext_lazy("Fit grade cut points (A, B, C)"),
                                     help_text=gettext_lazy("e.g. 75, 50, 25"))  # fmt: skip
    intent_grade_cuts = forms.CharField(label=gettext_lazy("Intent grade cut points (1, 2, 3)"),
                                        help_text=gettext_lazy("e.g. 75, 50, 25"))  # fmt: skip

    class Meta:
        model = ScoringModel
        fields = SETTINGS_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("fit_grade_cuts", "intent_grade_cuts"):
            cuts = getattr(self.instance, name) or [75, 50, 25]
            self.initial.setdefault(name, ", ".join(str(c) for c in cuts))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("fit_grade_cuts", "intent_grade_cuts"):
            if name in data:
                data[name] = _numbers(data[name]) or data[name]
        checked = ScoringModelSerializer(instance=self.instance, data=data, partial=True)
        if not checked.is_valid():
            _copy_errors(self, checked.errors)
        return data


class FitRuleForm(forms.Form):
    attribute = forms.CharField(label=gettext_lazy("Attribute"), max_length=100)
    # An empty first choice, so that the blank row left as it is counts as unchanged.
    operator = forms.ChoiceField(label=gettext_lazy("Operator"),
                                 choices=[("", "—"), *Operator.choices])  # fmt: skip
    value = forms.CharField(
        label=gettext_lazy("Value"),
        required=False,
        help_text=gettext_lazy("Lists and ranges: comma-separated"),
    )
    points = forms.IntegerField(label=gettext_lazy("Points"))
    label = forms.CharField(label=gettext_lazy("Label"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text, operator = (data.get("value") or "").strip(), data.get("operator")
        if operator in (Operator.IN,):
            data["value"] = [part.strip() for part in text.split(",") if part.strip()]
        elif operator == Operator.BETWEEN:
            data["value"] = _numbers(text) or text
        elif operator in (Operator.GTE, Operator.LTE):
            numbers = _numbers(text)
            data["value"] = numbers[0] if numbers and len(numbers) == 1 else text
        elif operator == Operator.IS_EMPTY:
            data["value"] = None
        else:
            data["value"] = text
        if not self.errors:
            checked = FitRuleSerializer(data=data)
            if not checked.is_valid():
                _copy_errors(self, checked.errors)
        return data


class IntentRuleForm(forms.Form):
    event_type = forms.ChoiceField(label=gettext_lazy("Event type"))
    property_key = forms.CharField(label=gettext_lazy("Property"), max_length=100, required=False)
    property_contains = forms.CharField(label=gettext_lazy("Contains"), max_length=200,
                                        required=False)  # fmt: skip
    points = forms.IntegerField(label=gettext_lazy("Points each"))
    cap = forms.IntegerField(label=gettext_lazy("At most"), min_value=0, required=False)
    half_life_days = forms.FloatField(label=gettext_lazy("Half-life (days)"), required=False)
    label = forms.CharField(label=gettext_lazy("Label"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_type"].choices = [
            ("", "—"),
            *(
                (code, gettext(label))
                for code, label in EventType.objects.order_by("label").values_list("code", "label")
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            checked = IntentRuleSerializer(data=data)
            if not checked.is_valid():
                _copy_errors(self, checked.errors)
        return data


FitRuleFormSet = formset_factory(FitRuleForm, extra=1, can_delete=True)
IntentRuleFormSet = formset_factory(IntentRuleForm, extra=1, can_delete=True)


def rules_of(formset: Any) -> list[dict[str, Any]]:
    """The rules a valid formset keeps (filled in and not marked for removal)."""
    return [
        {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
