"""The benchmark of the performance targets (docs/requirements.md): a bulk data generator, an HTTP runner and its report."""
