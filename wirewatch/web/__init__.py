"""The analyst's screen: ``wirewatch serve`` (a JSON API and an offline Leaflet dashboard).

``app.create_app(db_path)`` builds the ASGI app; ``app.serve(db_path, host=..., port=...)`` runs it;
``queries`` holds the (parameterised) SQL.  Needs the ``fastapi`` and ``uvicorn`` packages.
"""
