"""The demo's router: trained on the shared labelled messages when they are beside the checkout, otherwise on
the demo's own appeals."""

from __future__ import annotations

from django.conf import settings

from massline.core.seeding import SeedContext, seeder


@seeder("intelligence.router", after=("appeals.demo",))
def seed_router(context: SeedContext) -> None:
    from massline.org.models import Category

    from .models import RouterVersion
    from .training import SHARED_LABELS_TO_DEMO_TOPICS, shared_messages, train_from_file, train_from_history

    if RouterVersion.objects.exists():
        return
    if not settings.MASSLINE_DEMO_ROUTER:
        context.write("intelligence.router: not trained (MASSLINE_DEMO_ROUTER is off)")
        return
    path = shared_messages()
    if path.is_file():
        codes = dict(Category.objects.filter(depth=0).values_list("name_zh", "code"))
        label_map = {label: codes[topic] for label, topic in SHARED_LABELS_TO_DEMO_TOPICS.items() if topic in codes}
        version = train_from_file(
            actor=None, path=path, text_column="text", label_column="label_l1", label_map=label_map
        )
    else:
        trained = train_from_history(actor=None)
        if trained is None:
            context.write("intelligence.router: no labelled messages to learn from")
            return
        version = trained
    context.write(
        f"intelligence.router: v{version.version} from {version.trained_on}, "
        f"macro-F1 {version.metrics.get('macro_f1', 0):.3f} (5-fold), threshold {version.threshold:.2f}"
    )
