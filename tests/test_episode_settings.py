"""A setting given once for every episode or per episode (resilience.episode_settings)."""

from resilience.episode_settings import for_episode


def test_a_setting_is_read_for_an_episode_in_either_form():
    assert for_episode("gdp", "covid") == "gdp"
    assert for_episode({"gfc": "emp", "covid": "gdp"}, "covid") == "gdp"
    assert for_episode({"gfc": "emp"}, "covid") is None
