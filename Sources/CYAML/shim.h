// libyaml, the system's (Debian: libyaml-dev): the YAML composer reads its parser events.
#include <yaml.h>
