"""FastSelect writes what Django's Select writes: the same options, escaping and selection."""

from django import forms

from massline.core.widgets import FastSelect, FastSelectMultiple


class Form(forms.Form):
    one = forms.ChoiceField(choices=[("", "—"), ("a", "<A & B>"), ("b", "“B”")], widget=FastSelect)
    many = forms.MultipleChoiceField(choices=[("1", "x"), ("2", "y")], widget=FastSelectMultiple)


def test_fast_select_renders_escaped_options_and_the_choice() -> None:
    form = Form({"one": "a", "many": ["2"]})
    html = str(form["one"])
    assert html.startswith('<select id="id_one" name="one" required>')
    assert '<option value="a" selected>&lt;A &amp; B&gt;</option>' in html
    assert '<option value="b">“B”</option>' in html
    many = str(form["many"])
    assert "multiple" in many and '<option value="2" selected>y</option>' in many
    assert form.is_valid() and form.cleaned_data["many"] == ["2"]


def test_values_choice_fields_label_in_the_active_language_and_validate_through_the_queryset(city) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    from massline.core.widgets import UnitWithAreaField, WithParentField
    from massline.org.models import Category, Unit

    class Pick(forms.Form):
        unit = UnitWithAreaField(queryset=Unit.objects.filter(pk=city.urban_bureau.pk))
        topic = WithParentField(queryset=Category.objects.order_by("path"))

    bureau, area = city.urban_bureau, city.urban_bureau.area
    with translation.override("zh-hans"):
        html = str(Pick()["unit"]) + str(Pick()["topic"])
        assert f'<option value="{bureau.pk}">{bureau.name_zh} ({area.name_zh})</option>' in html
        assert f'<option value="{city.potholes.pk}">城市管理 · 道路坑洼</option>' in html
        assert f'<option value="{city.potholes.parent_id}">城市管理</option>' in html  # the top: its name alone
    with translation.override("en"):
        assert f"{bureau.name_en or bureau.name_zh} ({area.name_en or area.name_zh})" in str(Pick()["unit"])
        assert "Urban management · Potholes" in str(Pick()["topic"])
    chosen = Pick({"unit": bureau.pk, "topic": city.potholes.pk})
    assert chosen.is_valid() and chosen.cleaned_data["unit"] == bureau  # a model instance, as Django gives
    assert str(Pick({"unit": bureau.pk, "topic": city.potholes.pk})["topic"]).count(" selected") == 1
    outside = Pick({"unit": city.potholes.pk + 10_000, "topic": city.potholes.pk})
    assert not outside.is_valid() and "unit" in outside.errors  # only what the queryset holds
