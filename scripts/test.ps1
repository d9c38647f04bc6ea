# Sets up (if needed) and runs the test suite on Windows; extra arguments go to pytest.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3 -m venv .venv }
.\.venv\Scripts\python.exe -m pip install --quiet -e ".[test]"
$env:QT_QPA_PLATFORM = "offscreen"
.\.venv\Scripts\python.exe -m ruff check app tests bench
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
.\.venv\Scripts\python.exe -m pytest @args
exit $LASTEXITCODE
