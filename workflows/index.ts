export { callWorkflow } from './call.workflow';
export { campaignWorkflow } from './campaign.workflow';
