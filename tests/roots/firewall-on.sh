# firewall-on.sh - for a scenario's setup (run in the root's copy): ufw on,
# so that a scenario about something else gets no firewall.enabled failure.
# Usage, in setup: . "$(dirname "$0")/../firewall-on.sh"
mkdir -p etc/ufw etc/default lib/systemd/system etc/systemd/system/multi-user.target.wants
echo 'ENABLED=yes' >etc/ufw/ufw.conf
echo 'DEFAULT_INPUT_POLICY="DROP"' >etc/default/ufw
echo '[Service]' >lib/systemd/system/ufw.service
ln -s /lib/systemd/system/ufw.service etc/systemd/system/multi-user.target.wants/ufw.service
