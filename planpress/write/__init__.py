"""Stage 5: write the output folder (the only stage that writes files)."""

from planpress.write.output import MANIFEST, WriteResult, check_output_dir, write_output

__all__ = ["MANIFEST", "WriteResult", "check_output_dir", "write_output"]
