; Inno Setup 6 script: the Windows installer of Sổ Văn Thư (SoVanThu-<version>-Setup.exe).
; Build it with installer\build.ps1, which makes the PyInstaller bundle first and passes the version:
;     ISCC.exe /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0 installer\vanthu.iss
; Needs Inno Setup 6.3 or newer (x64compatible; UTF-8 script and messages files).
;
; What it does, for an office PC with no administrator at hand:
; - installs for the current user only, with no admin rights (IT may choose "all users" in the first dialog);
; - Start-menu and desktop shortcuts with the app's icon; the installer speaks Vietnamese (Vietnamese.isl);
; - the program folder holds only the program: the register, its attachments and backups live in the user's
;   %LOCALAPPDATA%\SoVanThu (the app's own choice, see app\db\engine.py), so an upgrade never touches them;
; - uninstalling keeps that data unless the user says otherwise (asked twice; or /DELETEDATA on the command line).

#ifndef AppVersion
  #error Thiếu phiên bản: chạy installer\build.ps1, hoặc ISCC /DAppVersion=x.y.z (lấy từ app\__init__.py)
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\vanthu"
#endif
#define AppName "Sổ Văn Thư"
#define AppExe "SoVanThu.exe"
; The folder platformdirs.user_data_dir("SoVanThu", appauthor=False) gives on Windows.
#define DataDir "{localappdata}\SoVanThu"

[Setup]
; Never change AppId: it is how a new version finds and replaces the installed one.
AppId={{B440D466-64EE-4C46-9233-43FA4AA1E8F3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppComments=Sổ đăng ký văn bản đến, văn bản đi theo Nghị định 30/2020/NĐ-CP
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription=Cài đặt {#AppName}
; Per-user by default: {autopf} is %LOCALAPPDATA%\Programs then; "all users" (Program Files) needs an admin.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\SoVanThu
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile=..\resources\icons\vanthu.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\dist
OutputBaseFilename=SoVanThu-{#AppVersion}-Setup
Compression=lzma2/max
SolidCompression=yes
; A running copy is asked to close before its files are replaced (Windows Restart Manager).
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no
SetupLogging=yes

[Languages]
Name: "vi"; MessagesFile: "Vietnamese.isl"

[CustomMessages]
; %1 is the data folder (FmtMessage in [Code]); %n is a line break. The Yes/No buttons of MsgBox may carry the
; captions of Windows' own language, hence "Không" (No).
vi.AppComment=Sổ đăng ký văn bản đến, văn bản đi
vi.DeleteDataQuestion=Có xóa cả dữ liệu của Sổ Văn Thư trên máy này không?%n%n%1%n%nThư mục này chứa sổ đăng ký văn bản, các tệp đính kèm và các bản sao lưu. Nên chọn "Không" (No) để giữ lại, trừ khi đã chép sổ sang máy khác: khi cài đặt lại, chương trình sẽ dùng tiếp dữ liệu này.
vi.DeleteDataConfirm=Xóa vĩnh viễn toàn bộ sổ đăng ký, tệp đính kèm và bản sao lưu trong thư mục%n%1?%n%nViệc này không thể hoàn tác.
vi.DeleteDataFailed=Không xóa hết được thư mục dữ liệu %1 (có thể chương trình vẫn đang mở). Hãy tự xóa thư mục này nếu cần.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; A new version's bundle replaces the old one whole: no stale library from an older release is left to load.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\resources\icons\vanthu.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\vanthu.ico"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\vanthu.ico"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the program itself made in its folder (Python's compiled migrations); never the data, see [Code].
Type: filesandordirs; Name: "{app}\_internal"

[Code]
function CommandLineAsksToDeleteData(): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/DELETEDATA') = 0 then
      Result := True;
end;

function UserAsksToDeleteData(Folder: String): Boolean;
begin
  { Two questions, "No" the default button of both: the register is a legal record. }
  Result :=
    (MsgBox(FmtMessage(CustomMessage('DeleteDataQuestion'), [Folder]), mbConfirmation,
            MB_YESNO or MB_DEFBUTTON2) = IDYES) and
    (MsgBox(FmtMessage(CustomMessage('DeleteDataConfirm'), [Folder]), mbError,
            MB_YESNO or MB_DEFBUTTON2) = IDYES);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Folder := ExpandConstant('{#DataDir}');
  if not DirExists(Folder) then
    Exit;
  { Kept unless asked: a silent uninstall (an upgrade script, IT tools) keeps it unless /DELETEDATA is given. }
  if CommandLineAsksToDeleteData() or ((not UninstallSilent()) and UserAsksToDeleteData(Folder)) then
    if not DelTree(Folder, True, True, True) then
      SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteDataFailed'), [Folder]), mbInformation, MB_OK, IDOK);
end;
