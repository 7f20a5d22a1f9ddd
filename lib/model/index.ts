export * from './types';
export { loadBundle, type LoadOptions, type LoadResult } from './load';
export { Diagnostics, formatDiagnostic, type Diagnostic } from './diagnostics';
export { acceptVariables } from './prompts';
export { checkSurveyAnswers, surveyDefaults } from './survey-answers';
export { topologicalOrder, findCycle } from './graph';
