/**
 * Empty `<div>`s the composer leaves at the end of slides for later stages to read: which list
 * run a slide shows (slide fit re-splits by it), and which template line the slide starts at
 * (checks name it).
 */

/** Class of the marker the `paginate` helper puts on every slide it makes; title `<list> <run> <per> <count>`. */
export const splitMarkerClass = 'briefgen-split';

/** Class of the marker at the end of each slide; title `<template file>:<line>`. */
export const sourceMarkerClass = 'briefgen-src';
