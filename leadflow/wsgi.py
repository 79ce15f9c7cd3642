import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadflow.settings")
application = get_wsgi_application()

from leadflow.warmup import load_views  # noqa: E402 -- needs the settings configured above

load_views()
