"""Run by IPython when a page's kernel starts (``PYTHONSTARTUP``; see ``quiet_kernel``)."""

try:
    from mentoring_mosaic.serve.quiet_kernel import install as _mm_quiet

    _mm_quiet()
    del _mm_quiet
except Exception:  # never stop a kernel from starting
    pass
