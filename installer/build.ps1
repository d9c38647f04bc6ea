# Builds the Windows bundle (dist\vanthu\) and the installer (dist\SoVanThu-<version>-Setup.exe).
# Needs Python 3.11 (the py launcher or python on PATH) and Inno Setup 6.3+ (winget install JRSoftware.InnoSetup).
# Uses its own clean virtual environment (build\venv) with only what the app needs plus PyInstaller.
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1              # bundle + installer
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1 -BundleOnly  # bundle only
param([switch]$BundleOnly)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What thất bại (mã thoát $LASTEXITCODE)." }
}

function Find-Python {
    if (Get-Command py -ErrorAction SilentlyContinue) { return @("py", "-3.11") }
    if (Get-Command python -ErrorAction SilentlyContinue) { return @("python") }
    throw "Không tìm thấy Python 3.11: cài từ python.org (đánh dấu 'Add python.exe to PATH') rồi chạy lại."
}

function Find-Iscc {
    $candidates = @($env:ISCC,
                    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
                    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
                    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe")
    $onPath = Get-Command ISCC.exe -ErrorAction SilentlyContinue
    if ($onPath) { $candidates = @($onPath.Source) + $candidates }
    foreach ($path in $candidates) {
        if ($path -and (Test-Path $path)) { return $path }
    }
    throw "Không tìm thấy Inno Setup 6 (ISCC.exe): cài bằng 'winget install JRSoftware.InnoSetup' hoặc đặt biến ISCC."
}

$venv = if ($env:VANTHU_BUILD_VENV) { $env:VANTHU_BUILD_VENV } else { "build\venv" }
$python = Join-Path $venv "Scripts\python.exe"
New-Item -ItemType Directory -Force build | Out-Null
if (-not (Test-Path $python)) {
    # @(...): a function's one-element array output comes back unrolled to a plain string ("python"), and
    # $launcher[0] would then be its first character.
    $launcher = @(Find-Python)
    $rest = @($launcher | Select-Object -Skip 1)
    Invoke-Checked "Tạo môi trường ảo" { & $launcher[0] @rest -m venv $venv }
}
# Reinstall only when pyproject.toml changed.
$stamp = Join-Path $venv ".build-stamp"
$wanted = (Get-FileHash pyproject.toml -Algorithm SHA256).Hash
if (-not (Test-Path $stamp) -or (Get-Content $stamp) -ne $wanted) {
    Invoke-Checked "Nâng cấp pip" { & $python -m pip install --quiet --upgrade pip }
    $requirements = & $python installer\requirements.py postgres installer
    if ($LASTEXITCODE -ne 0) { throw "Không đọc được danh sách thư viện từ pyproject.toml." }
    Set-Content -Path build\requirements.txt -Value $requirements -Encoding ascii
    Invoke-Checked "Cài thư viện" { & $python -m pip install --quiet -r build\requirements.txt }
    Set-Content -Path $stamp -Value $wanted
}

$version = & $python -c "import app; print(app.__version__)"
if ($LASTEXITCODE -ne 0 -or -not $version) { throw "Không đọc được phiên bản từ app\__init__.py." }
$version = "$version".Trim()
Write-Host "Đóng gói Sổ Văn Thư $version ..."
if (Test-Path dist\vanthu) { Remove-Item -Recurse -Force dist\vanthu }
Invoke-Checked "PyInstaller" {
    & $python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller `
        installer\vanthu.spec
}
# A quick look that the bundle starts at all.
Invoke-Checked "Chạy thử dist\vanthu\vanthu.exe --version" { & dist\vanthu\vanthu.exe --version }
if ($BundleOnly) {
    Write-Host "Đã tạo: dist\vanthu\ (chạy dist\vanthu\SoVanThu.exe, hoặc vanthu.exe cho dòng lệnh)"
    exit 0
}

# Windows wants a purely numeric file version: 0.2.0rc1 becomes 0.2.0.
$numeric = ($version -replace '[^0-9.].*$', '').TrimEnd('.')
$iscc = Find-Iscc
Invoke-Checked "Inno Setup" { & $iscc "/DAppVersion=$version" "/DAppVersionNumeric=$numeric" installer\vanthu.iss }
Write-Host "Đã tạo: dist\SoVanThu-$version-Setup.exe"
