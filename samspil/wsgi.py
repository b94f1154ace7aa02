import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspil.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL patterns: about 170,000 objects) lives
# as long as the process. Moved out of the garbage collector's generations, a full collection
# no longer walks it: measured on the public Christmas-aid post, such a collection took 100 ms
# with the GIL held, stalling every thread of the worker (Python's documentation recommends
# gc.freeze() for pre-loaded server processes).
gc.collect()
gc.freeze()
