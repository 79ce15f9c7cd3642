"""The embedded defaults: what Leadflow uses when no Redis is configured."""

from pathlib import Path


def filesystem_broker_options(var_dir: Path) -> dict[str, str | bool]:
    """Transport options for kombu's filesystem broker, creating its folders.

    The web process and the worker must agree on these folders, so both derive them here
    from the one ``LEADFLOW_VAR_DIR``.
    """
    queue = var_dir / "broker" / "queue"
    processed = var_dir / "broker" / "processed"
    # kombu's default for the exchange tables is ./control, in whatever folder the
    # process started from; keep them beside the queue instead.
    control = var_dir / "broker" / "control"
    for folder in (queue, processed, control):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "control_folder": str(control),
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(processed),
        "store_processed": False,
    }
