"""The appeals JSON API (django-ninja): public intake and tracking. ``site.api`` is the ``/api/v1/`` instance."""
