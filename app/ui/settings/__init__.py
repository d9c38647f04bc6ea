"""The pages of the settings dialog, one module each; the dialog itself is app.ui.settings_dialog."""
