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
