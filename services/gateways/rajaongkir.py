"""The real RajaOngkir client over `requests` (the classic API: /province, /city,
/subdistrict, /cost with the `key` header; answers wrapped in {"rajaongkir": {"status",
"results"}}). Every failure becomes a DomainError: unreachable or slow → 503, an answer that
is not RajaOngkir's or a refused key → 502, an unknown city → 422; never a 500."""
import requests

from services.errors import Invalid

from .shipping import (ShippingBadAnswer, ShippingUnavailable, city_rows, cost_rows,
                       district_rows, province_rows, scope_of)

# words of a refusal about a place (not about our key, which is the clinic's problem: 502)
NOT_FOUND_WORDS = ("tidak ditemukan", "not found", "invalid origin", "invalid destination")


class RajaOngkirClient:
    """RajaOngkir at `base_url` (e.g. https://pro.rajaongkir.com/api) with an API key."""

    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0):
        if not base_url or not api_key:
            raise ShippingUnavailable(
                "RajaOngkir belum dikonfigurasi (RAJAONGKIR_BASE_URL dan RAJAONGKIR_API_KEY).",
                error_code="shipping_misconfigured")
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.cache_scope = scope_of(self.base_url)

    @classmethod
    def from_config(cls, config) -> "RajaOngkirClient":
        """The client the configuration describes."""
        return cls(config.get("RAJAONGKIR_BASE_URL", ""), config.get("RAJAONGKIR_API_KEY", ""),
                   float(config.get("RAJAONGKIR_TIMEOUT_SECONDS", 10)))

    # ---- the protocol ----------------------------------------------------------------
    def provinces(self) -> list[dict]:
        """GET /province."""
        return province_rows(self._results("GET", "province"))

    def cities(self, province_id: int) -> list[dict]:
        """GET /city?province=ID."""
        return city_rows(self._results("GET", "city", params={"province": province_id}))

    def districts(self, city_id: int) -> list[dict]:
        """GET /subdistrict?city=ID (RajaOngkir Pro)."""
        return district_rows(self._results("GET", "subdistrict", params={"city": city_id}))

    def cost(self, origin_city: int, destination: int, weight_grams: int, courier: str,
             destination_type: str = "city") -> list[dict]:
        """POST /cost (form-encoded); a district destination asks for Pro's types."""
        form = {"origin": origin_city, "destination": destination, "weight": weight_grams,
                "courier": courier}
        if destination_type != "city":
            form.update(originType="city", destinationType=destination_type)
        return cost_rows(self._results("POST", "cost", data=form))

    # ---- one request -----------------------------------------------------------------
    def _results(self, method: str, path: str, **kwargs):
        """The `results` of a successful answer; a DomainError otherwise."""
        try:
            response = requests.request(method, f"{self.base_url}/{path}",
                                        headers={"key": self.api_key, "Accept": "application/json"},
                                        timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise ShippingUnavailable(
                "Layanan ongkos kirim (RajaOngkir) tidak menjawab tepat waktu. "
                "Coba lagi beberapa saat lagi.", error_code="shipping_timeout") from exc
        except requests.RequestException as exc:
            raise ShippingUnavailable() from exc
        if response.status_code >= 500:
            raise ShippingUnavailable()
        try:
            body = response.json()
        except ValueError as exc:
            raise ShippingBadAnswer() from exc
        envelope = body.get("rajaongkir") if isinstance(body, dict) else None
        status = envelope.get("status") if isinstance(envelope, dict) else None
        if not isinstance(status, dict):
            raise ShippingBadAnswer()
        code = status.get("code")
        description = str(status.get("description") or "")
        if code != 200 or response.status_code != 200:
            words = description.lower()
            if "key" not in words and any(word in words for word in NOT_FOUND_WORDS):
                raise Invalid("Kota atau kecamatan tidak ditemukan di RajaOngkir.",
                              fields={"destination": description[:200]},
                              error_code="unknown_place")
            raise ShippingBadAnswer(
                "Layanan ongkos kirim (RajaOngkir) menolak permintaan"
                + (f": {description[:200]}" if description else "."),
                error_code="shipping_refused")
        if "results" not in envelope:
            raise ShippingBadAnswer()
        results = envelope["results"]
        # A query by id answers one object instead of a list; an empty answer is [].
        if isinstance(results, dict):
            results = [results]
        elif results in (None, ""):
            results = []
        return results
