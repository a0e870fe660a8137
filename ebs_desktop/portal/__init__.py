"""The customer web portal: Starlette + Jinja2, server-rendered, no Qt.

The portal is the product's first untrusted front end. It calls only the service facade:
:class:`~ebs_desktop.services.facade.CustomerServices` for a signed-in customer, and the
portal gate (a system principal) for signing in, registering and resetting passwords. It
never imports the persistence layer (``tests/test_layering.py``).

* :mod:`.web`: what every page shares (templates, CSRF, the principal, errors, headers).
* :mod:`.app`: the application factory, ``create_app``; ``ebs portal serve`` runs it.
* one module per area, each exporting ``routes``: listed in :data:`.app.PAGE_MODULES`.
"""
