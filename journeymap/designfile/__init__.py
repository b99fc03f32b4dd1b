"""Design files: YAML, JSON and Excel readers and writers, canonical YAML, atomic writes.

Reading points every problem at `FILE:LINE` (or a workbook cell); writing is canonical and atomic.
"""
