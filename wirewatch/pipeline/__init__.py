"""Running the pipeline: the stage registry and its order check (``registry``), the built-in stages
(``stages``), a batch from inputs to stored events (``batch``), on a process pool (``pool``) or a Dask
cluster (``distributed``)."""
