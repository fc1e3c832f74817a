/**
 * Pod logs: the kubelet's CRI container log files tailed, each line under its pod's app id label.
 */
package org.loggregator.agent.pods;
