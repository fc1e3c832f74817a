// The profile of the Firefox that FirefoxViewerIT drives (HeadlessFirefox copies it into a
// fresh profile's user.js): no first-run page, no background network (the remote agent sets more
// of its own once it starts), the page's light colours, downloads into browser.download.dir (which
// HeadlessFirefox adds).
user_pref("browser.startup.page", 0);
user_pref("startup.homepage_welcome_url", "about:blank");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("app.update.disabledForTesting", true);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.server", "");
user_pref("services.settings.server", "data:,#remote-settings-dummy/v1");
user_pref("messaging-system.rsexperimentloader.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("layout.css.prefers-color-scheme.content-override", 1);
user_pref("browser.download.folderList", 2);
user_pref("browser.download.useDownloadDir", true);
user_pref("browser.download.start_downloads_in_tmp_dir", false);
user_pref("browser.download.always_ask_before_handling_new_types", false);
