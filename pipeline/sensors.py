"""The input-folder sensor: starts a run when files are added, changed or removed."""

import hashlib
import json
import os
from pathlib import Path

import dagster as dg

from pipeline.resources import FiguresSettings


def folder_state(input_dir: Path) -> dict[str, list[int]]:
    """Relative path -> [size, mtime in ns] of every file under the folder (links not followed)."""
    state: dict[str, list[int]] = {}
    stack = [input_dir]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
                continue
            info = entry.stat(follow_symlinks=False)
            state[Path(entry.path).relative_to(input_dir).as_posix()] = [
                info.st_size,
                info.st_mtime_ns,
            ]
    return dict(sorted(state.items()))


def build_input_folder_sensor(
    job: dg.JobDefinition,
) -> dg.SensorDefinition:
    @dg.sensor(
        job=job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Starts a run of the pipeline when files are added, changed or removed in the input folder.",
    )
    def input_folder_sensor(
        context: dg.SensorEvaluationContext, settings: FiguresSettings
    ) -> dg.SensorResult:
        input_dir = Path(settings.input_dir)
        if not input_dir.is_dir():
            return dg.SensorResult(skip_reason=f"input folder {input_dir} does not exist")
        current = folder_state(input_dir)
        previous = json.loads(context.cursor) if context.cursor else {}
        if current == previous:
            return dg.SensorResult(skip_reason="no file added, changed or removed")
        changed = sorted(
            path
            for path in current.keys() | previous.keys()
            if current.get(path) != previous.get(path)
        )
        run_key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(run_key=run_key, tags={"figures/changed_files": str(len(changed))})
            ],
            cursor=json.dumps(current, sort_keys=True),
        )

    return input_folder_sensor
