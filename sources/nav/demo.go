package nav

// URLs the offline demo bundle (testdata/demo/nav/index.json, served by
// Bundle) answers. They are not NAV's addresses: NAV publishes these
// files on pages whose links change, so a live config names the real URL.
const (
	DemoHovedtallURL                    = "https://nav.offline/hovedtall/arbeidsledighet-telemark.csv"
	DemoYrkespraksisURL                 = "https://nav.offline/hovedtall/yrkespraksis-telemark.csv"
	DemoBedriftsundersokelsenURL        = "https://nav.offline/bedriftsundersokelsen/2017.csv"
	DemoBedriftsundersokelsenNaeringURL = "https://nav.offline/bedriftsundersokelsen/naering-vt-2021.csv"
	DemoStillingerURL                   = "https://nav.offline/stillinger/stillinger-telemark.csv"
)
