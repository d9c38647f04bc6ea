# Builds the Windows bundle (dist\vanthu\) and the installer (dist\SoVanThu-<version>-Setup.exe).
# Needs Python 3.11 (the py launcher or python on PATH), Inno Setup 6.3+ (winget install JRSoftware.InnoSetup),
# 7-Zip (winget install 7zip.7zip; it unpacks the Tesseract installer) and, on the first build, the internet
# (Python packages, and Tesseract with its models: pinned by SHA-256, kept in build\downloads\ for the next builds).
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

# Tesseract 5 (text recognition of scans) goes into dist\vanthu\tesseract\, where app\ocr\engine.py looks beside
# the frozen vanthu.exe: tesseract.exe with its DLLs, and tessdata\ with the Vietnamese and orientation models.
# Fetched here, at build time (the app never downloads anything), each file pinned by URL and SHA-256 and checked
# again on every build; kept in build\downloads\. installer\README.md says where each pin comes from.
# The UB Mannheim Windows build of Tesseract 5.4.0 (an NSIS installer; unpacked with 7-Zip, never run: nothing is
# installed on the build PC). SHA-256 as published in microsoft/winget-pkgs
# (manifests/u/UB-Mannheim/TesseractOCR/5.4.0.20240606/UB-Mannheim.TesseractOCR.installer.yaml).
$TesseractSetup = @{
    Name   = "tesseract-ocr-w64-setup-5.4.0.20240606.exe"
    Url    = "https://github.com/UB-Mannheim/tesseract/releases/download/v5.4.0.20240606/tesseract-ocr-w64-setup-5.4.0.20240606.exe"
    Sha256 = "C885FFF6998E0608BA4BB8AB51436E1C6775C2BAFC2559A19B423E18678B60C9"
}
# tesseract-ocr/tessdata_fast at tag 4.1.0 (this commit): the same files, byte for byte, as Debian's
# tesseract-ocr-vie and tesseract-ocr-osd 1:4.1.0 that the Linux app and the tests read.
$TessdataCommit = "65727574dfcd264acbb0c3e07860e4e9e9b22185"
$TesseractModels = @(
    @{
        Name   = "vie.traineddata"
        Url    = "https://raw.githubusercontent.com/tesseract-ocr/tessdata_fast/$TessdataCommit/vie.traineddata"
        Sha256 = "79DF64CAF7BCFB2A27DF5042ECB6121E196EADA34DA774956995747636D5BFA1"
    },
    @{
        Name   = "osd.traineddata"
        Url    = "https://raw.githubusercontent.com/tesseract-ocr/tessdata_fast/$TessdataCommit/osd.traineddata"
        Sha256 = "9CF5D576FCC47564F11265841E5CA839001E7E6F38FF7F7AACF46D15A96B00FF"
    }
)

function Get-Pinned([hashtable]$File) {
    # The file in build\downloads\, downloaded when missing, refused unless its SHA-256 is the pinned one.
    if ($File.Sha256 -notmatch '^[0-9A-Fa-f]{64}$') {
        throw "Chưa ghim SHA-256 của $($File.Name) trong installer\build.ps1 (đang là '$($File.Sha256)'): tải $($File.Url) trên một máy tin cậy, lấy Get-FileHash -Algorithm SHA256 rồi điền vào; không đóng gói khi chưa có."
    }
    $folder = "build\downloads"
    New-Item -ItemType Directory -Force $folder | Out-Null
    $target = Join-Path $folder $File.Name
    if ((Test-Path $target) -and (Get-FileHash $target -Algorithm SHA256).Hash -eq $File.Sha256.ToUpper()) {
        return $target
    }
    Write-Host "Tải $($File.Url) ..."
    $partial = "$target.part"
    [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
    $saved = $ProgressPreference
    $ProgressPreference = "SilentlyContinue"  # PowerShell 5.1's progress bar makes a download many times slower
    try {
        Invoke-WebRequest -Uri $File.Url -OutFile $partial -UseBasicParsing
    } catch {
        Remove-Item -Force $partial -ErrorAction SilentlyContinue
        throw "Không tải được $($File.Url): $($_.Exception.Message)"
    } finally {
        $ProgressPreference = $saved
    }
    $got = (Get-FileHash $partial -Algorithm SHA256).Hash
    if ($got -ne $File.Sha256.ToUpper()) {
        Remove-Item -Force $partial
        throw "SHA-256 của $($File.Name) không khớp: tải về $got, ghim $($File.Sha256). Không dùng tệp này."
    }
    Move-Item -Force $partial $target
    return $target
}

function Find-SevenZip {
    $candidates = @($env:SEVENZIP, "$env:ProgramFiles\7-Zip\7z.exe", "${env:ProgramFiles(x86)}\7-Zip\7z.exe")
    $onPath = Get-Command 7z.exe -ErrorAction SilentlyContinue
    if ($onPath) { $candidates = @($onPath.Source) + $candidates }
    foreach ($path in $candidates) {
        if ($path -and (Test-Path $path)) { return $path }
    }
    throw "Không tìm thấy 7-Zip (7z.exe), cần để mở bộ cài Tesseract: cài bằng 'winget install 7zip.7zip' hoặc đặt biến SEVENZIP."
}

function Get-Tesseract {
    # Unpacks the pinned installer into build\tesseract-unpacked\ and returns the folder holding tesseract.exe.
    $setup = Get-Pinned $TesseractSetup
    $models = @($TesseractModels | ForEach-Object { Get-Pinned $_ })
    $unpacked = "build\tesseract-unpacked"
    if (Test-Path $unpacked) { Remove-Item -Recurse -Force $unpacked }
    $sevenZip = Find-SevenZip
    Invoke-Checked "Mở bộ cài Tesseract bằng 7-Zip" { & $sevenZip x -y "-o$unpacked" $setup | Out-Null }
    $program = Get-ChildItem -Path $unpacked -Recurse -Filter tesseract.exe | Select-Object -First 1
    if (-not $program) { throw "Bộ cài $($TesseractSetup.Name) mở ra không có tesseract.exe (xem $unpacked)." }
    return @{ Root = $program.Directory.FullName; Models = $models }
}

function Install-Tesseract([hashtable]$Found, [string]$Bundle) {
    # tesseract.exe and its DLLs, tessdata\ with the pinned models and Tesseract's own configs (tsv, pdf…) and
    # pdf.ttf, and Tesseract's licence; nothing else of the installer (no training tools, no English model).
    $target = Join-Path $Bundle "tesseract"
    $tessdata = Join-Path $target "tessdata"
    New-Item -ItemType Directory -Force $tessdata | Out-Null
    Copy-Item (Join-Path $Found.Root "tesseract.exe") $target
    Copy-Item (Join-Path $Found.Root "*.dll") $target
    $source = Join-Path $Found.Root "tessdata"
    foreach ($part in @("configs", "tessconfigs")) {
        $folder = Join-Path $source $part
        if (-not (Test-Path $folder)) { throw "Bộ cài Tesseract không có tessdata\$part (xem $($Found.Root))." }
        Copy-Item -Recurse $folder $tessdata
    }
    if (Test-Path (Join-Path $source "pdf.ttf")) { Copy-Item (Join-Path $source "pdf.ttf") $tessdata }
    foreach ($model in $Found.Models) { Copy-Item $model $tessdata }
    $doc = Join-Path $Found.Root "doc"
    if (Test-Path $doc) { Copy-Item -Recurse $doc (Join-Path $target "doc") }
    # The copy must run from where the app will run it, with its own models (engine.py sets TESSDATA_PREFIX so).
    $saved = $env:TESSDATA_PREFIX
    $env:TESSDATA_PREFIX = (Resolve-Path $tessdata).Path
    try {
        $languages = & (Join-Path $target "tesseract.exe") --list-langs | ForEach-Object { "$_".Trim() }
        if ($LASTEXITCODE -ne 0) { throw "tesseract.exe --list-langs thất bại (mã thoát $LASTEXITCODE): $languages" }
    } finally {
        $env:TESSDATA_PREFIX = $saved
    }
    foreach ($language in @("vie", "osd")) {
        if ($languages -notcontains $language) { throw "Tesseract trong gói không thấy mô hình '$language': $languages" }
    }
    Write-Host "Tesseract: $target ($((& (Join-Path $target "tesseract.exe") --version | Select-Object -First 1)))"
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
$tesseract = Get-Tesseract  # before PyInstaller: a missing pin or a failed download stops the build early
Write-Host "Đóng gói Sổ Văn Thư $version ..."
if (Test-Path dist\vanthu) { Remove-Item -Recurse -Force dist\vanthu }
Invoke-Checked "PyInstaller" {
    & $python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller `
        installer\vanthu.spec
}
Install-Tesseract $tesseract "dist\vanthu"
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
