from massline.appeals.tests.conftest import city  # noqa: F401  (the appeal tests' city, with a catalogue)
